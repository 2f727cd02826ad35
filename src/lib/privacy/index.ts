export { findPersonalData, redact } from './detect';
export type { PersonalDataKind, PersonalDataSpan, RedactResult } from './detect';
