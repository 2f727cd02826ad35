import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

/**
 * Asks for the automatic coding of a consultation's answers to be brought up to
 * date (after new answers, a codebook change or officers' coding), in the
 * background, without blocking the request. Human decisions are never
 * overwritten. (Filled in when the theme engine is wired into the app.)
 */
export function scheduleRecode(_db: Kysely<Database>, _consultationId: number, _questionId?: number): void {}
