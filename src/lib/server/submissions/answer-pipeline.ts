import type { Transaction } from 'kysely';
import type { Database } from '../db/schema';

export interface PreparedText {
	text: string;
	redactedText: string | null;
	piiKinds: string | null;
}

/**
 * What happens to an answer's text as it is stored. Answers are kept as typed
 * (trimmed); redaction and safeguarding screening plug in here so that every
 * route into the database (survey, JSON, entry, import, demo) gets them.
 */
export function prepareAnswerText(text: string): PreparedText {
	return { text: text.trim(), redactedText: null, piiKinds: null };
}

/** Runs inside the storing transaction once answers have ids. */
export async function afterAnswersStored(_tx: Transaction<Database>, _answerIds: number[]): Promise<void> {}
