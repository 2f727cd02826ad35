import type { Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { redact } from '../../privacy/index';
import { cleanText } from '../../schemas/text';
import { screenAnswer } from '../../safeguarding/index';
import { nowIso } from '../util/time';

export interface PreparedText {
	text: string;
	redactedText: string;
	piiKinds: string | null;
}

/**
 * What happens to an answer's words as they are stored, whatever the route in
 * (survey, JSON, face-to-face entry, import, demo): kept as typed (trimmed),
 * without control characters (see schemas/text), with a redacted copy that every screen, export and report shows by default.
 */
export function prepareAnswerText(text: string): PreparedText {
	// Routes clean text as they parse it; cleaned again here because this is where every answer is stored.
	const trimmed = cleanText(text).trim();
	const { text: redactedText, found } = redact(trimmed);
	const kinds = [...new Set(found.map((f) => f.kind))].sort();
	return { text: trimmed, redactedText, piiKinds: kinds.length ? JSON.stringify(kinds) : null };
}

/**
 * Runs inside the storing transaction once answers have ids: every answer is
 * screened for possible disclosures of harm, and a flag is raised for the
 * safeguarding queue in the same commit, so an acknowledged answer is never
 * stored without its screening.
 */
export async function afterAnswersStored(tx: Transaction<Database>, answers: { id: number; text: string }[]): Promise<void> {
	const now = nowIso();
	const flags = answers.flatMap((a) => {
		const result = screenAnswer(a.text);
		if (!result.level) return [];
		const matches = result.matches.map((m) => ({ phrase: m.phrase, category: m.category, excerpt: m.excerpt, level: m.level }));
		return [{ answer_id: a.id, level: result.level, matches: JSON.stringify(matches), status: 'new' as const, note: null, updated_by: null, updated_at: now, created_at: now }];
	});
	if (flags.length > 0) {
		await tx.insertInto('safeguarding_flag').values(flags).onConflict((oc) => oc.column('answer_id').doNothing()).execute();
	}
}

/** Screens one answer again after its text was edited (face-to-face corrections). */
export async function rescreenAnswer(tx: Transaction<Database>, answerId: number, text: string): Promise<void> {
	const result = screenAnswer(text);
	const existing = await tx.selectFrom('safeguarding_flag').select(['id', 'status']).where('answer_id', '=', answerId).executeTakeFirst();
	if (!result.level) return; // an existing flag stays: a person decides, not the edit
	const matches = JSON.stringify(result.matches.map((m) => ({ phrase: m.phrase, category: m.category, excerpt: m.excerpt, level: m.level })));
	const now = nowIso();
	if (existing) {
		await tx.updateTable('safeguarding_flag').set({ matches, level: result.level, updated_at: now }).where('id', '=', existing.id).execute();
	} else {
		await tx.insertInto('safeguarding_flag').values({ answer_id: answerId, level: result.level, matches, status: 'new', note: null, updated_by: null, updated_at: now, created_at: now }).execute();
	}
}
