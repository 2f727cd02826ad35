import type { Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { redact } from '../../privacy/index';
import { cleanText } from '../../schemas/text';
import { screenAnswer } from '../../safeguarding/index';
import { SCORING_VERSION } from '../../safeguarding/version';
import { nowIso } from '../util/time';
import { audit } from '../audit/index';

export interface PreparedText {
	text: string;
	redactedText: string;
	piiKinds: string | null;
	/** The safeguarding screen's verdict, computed once: its score is stored with the answer. */
	screen: ReturnType<typeof screenAnswer>;
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
	return {
		text: trimmed,
		redactedText,
		piiKinds: kinds.length ? JSON.stringify(kinds) : null,
		screen: screenAnswer(trimmed)
	};
}

/**
 * Runs inside the storing transaction once answers have ids: every answer is
 * screened for possible disclosures of harm, its risk score (which orders the
 * reading list) is stored, and a flag is raised for the safeguarding queue in
 * the same commit, so an acknowledged answer is never stored without its
 * screening. Each flag is audited by id, level and categories: never the words.
 */
export async function afterAnswersStored(
	tx: Transaction<Database>,
	answers: { id: number; text: string; screen?: PreparedText['screen'] }[]
): Promise<void> {
	const now = nowIso();
	const flags = [];
	for (const a of answers) {
		// Screened already when the text was prepared (and its score inserted with the row); otherwise here.
		const result = a.screen ?? screenAnswer(a.text);
		if (!a.screen)
			await tx
				.updateTable('answer')
				.set({ risk_score: result.score, risk_version: SCORING_VERSION })
				.where('id', '=', a.id)
				.execute();
		if (!result.level) continue;
		flags.push({
			answer_id: a.id,
			level: result.level,
			matches: matchesJson(result),
			status: 'new' as const,
			note: null,
			updated_by: null,
			updated_at: now,
			created_at: now
		});
	}
	if (flags.length === 0) return;
	const inserted = await tx
		.insertInto('safeguarding_flag')
		.values(flags)
		.onConflict((oc) => oc.column('answer_id').doNothing())
		.returning(['id', 'answer_id', 'level'])
		.execute();
	for (const f of inserted)
		await auditFlag(
			tx,
			f.id,
			f.answer_id,
			f.level,
			categoriesOf(flags.find((x) => x.answer_id === f.answer_id)!.matches)
		);
}

type Screened = ReturnType<typeof screenAnswer>;

function matchesJson(result: Screened): string {
	return JSON.stringify(
		result.matches.map((m) => ({ phrase: m.phrase, category: m.category, excerpt: m.excerpt, level: m.level }))
	);
}

function categoriesOf(matches: string): string[] {
	return [...new Set((JSON.parse(matches) as { category: string }[]).map((m) => m.category))].sort();
}

function auditFlag(tx: Transaction<Database>, flagId: number, answerId: number, level: string, categories: string[]) {
	return audit(tx, {
		userId: null,
		action: 'safeguarding.flag',
		entity: 'safeguarding_flag',
		entityId: flagId,
		detail: { answerId, level, categories }
	});
}

/** Screens one answer again after its text was edited (face-to-face corrections). */
export async function rescreenAnswer(tx: Transaction<Database>, answerId: number, text: string): Promise<void> {
	const result = screenAnswer(text);
	await tx
		.updateTable('answer')
		.set({ risk_score: result.score, risk_version: SCORING_VERSION })
		.where('id', '=', answerId)
		.execute();
	const existing = await tx
		.selectFrom('safeguarding_flag')
		.select(['id', 'status'])
		.where('answer_id', '=', answerId)
		.executeTakeFirst();
	if (!result.level) return; // an existing flag stays: a person decides, not the edit
	const matches = matchesJson(result);
	const now = nowIso();
	if (existing) {
		await tx
			.updateTable('safeguarding_flag')
			.set({ matches, level: result.level, updated_at: now })
			.where('id', '=', existing.id)
			.execute();
		await audit(tx, {
			userId: null,
			action: 'safeguarding.rescreen',
			entity: 'safeguarding_flag',
			entityId: existing.id,
			detail: { answerId, level: result.level, categories: categoriesOf(matches) }
		});
	} else {
		const { id } = await tx
			.insertInto('safeguarding_flag')
			.values({
				answer_id: answerId,
				level: result.level,
				matches,
				status: 'new',
				note: null,
				updated_by: null,
				updated_at: now,
				created_at: now
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await auditFlag(tx, id, answerId, result.level, categoriesOf(matches));
	}
}
