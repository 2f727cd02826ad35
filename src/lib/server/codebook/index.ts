/**
 * Codebook editing by officers: add, rename, describe, merge and split themes,
 * and accept or dismiss emerging-theme candidates proposed by the theme engine.
 * Every change is audited and asks for the automatic coding to be brought up to date.
 */
import { sql, type Transaction } from 'kysely';
import type { Db } from '../db/connect';
import type { Database } from '../db/schema';
import { audit, changedFields } from '../audit';
import { underSafeguardingReview } from '../safeguarding/withheld';
import { scheduleRecode } from '../coding';
import { nowIso } from '../util/time';
import { hasNoActiveTheme } from '../analysis/scope';
import { engineThread } from '../coding/engine';
import { keywordPredicate } from '../../analysis/keywords';

export class CodebookEditError extends Error {}

export interface UserRef {
	id: number;
}

export function slugify(label: string): string {
	return (
		label
			.toLowerCase()
			.normalize('NFKD')
			.replace(/[^\p{L}\p{N}]+/gu, '-')
			.replace(/[^a-z0-9-]/g, '')
			.replace(/^-+|-+$/g, '')
			.slice(0, 60) || 'theme'
	);
}

export function parseKeywords(text: string): string[] {
	return [
		...new Set(
			text
				.split(/[,\n;]/)
				.map((k) => k.trim().toLowerCase())
				.filter(Boolean)
		)
	].slice(0, 50);
}

async function questionOf(tx: Transaction<Database>, consultationId: number, questionId: number) {
	const q = await tx
		.selectFrom('question')
		.select(['id'])
		.where('id', '=', questionId)
		.where('consultation_id', '=', consultationId)
		.executeTakeFirst();
	if (!q) throw new CodebookEditError('That question is not in this consultation.');
	return q;
}

async function themeOf(tx: Transaction<Database>, consultationId: number, themeId: number) {
	const t = await tx
		.selectFrom('theme')
		.innerJoin('question', 'question.id', 'theme.question_id')
		.selectAll('theme')
		.where('theme.id', '=', themeId)
		.where('question.consultation_id', '=', consultationId)
		.executeTakeFirst();
	if (!t) throw new CodebookEditError('That theme is not in this consultation.');
	return t;
}

async function insertTheme(
	tx: Transaction<Database>,
	questionId: number,
	label: string,
	description: string | null,
	keywords: string[],
	parentId: number | null,
	at: string
) {
	const base = slugify(label);
	const taken = new Set(
		(await tx.selectFrom('theme').select('code').where('question_id', '=', questionId).execute()).map((r) => r.code)
	);
	let code = base;
	for (let i = 2; taken.has(code); i++) code = `${base}-${i}`;
	const pos = await tx
		.selectFrom('theme')
		.select(sql<number>`coalesce(max(position), -1)`.as('p'))
		.where('question_id', '=', questionId)
		.executeTakeFirstOrThrow();
	const row = await tx
		.insertInto('theme')
		.values({
			question_id: questionId,
			code,
			label,
			description,
			keywords: JSON.stringify(keywords),
			parent_id: parentId,
			position: Number(pos.p) + 1,
			status: 'active',
			created_at: at,
			updated_at: at
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return { id: row.id, code };
}

function cleanLabel(label: string): string {
	const l = label.trim().replace(/\s+/g, ' ');
	if (!l) throw new CodebookEditError('Enter a name for the theme.');
	if (l.length > 120) throw new CodebookEditError('Theme names must be 120 characters or fewer.');
	return l;
}

export async function addTheme(
	db: Db,
	consultationId: number,
	input: { questionId: number; label: string; description?: string | null; keywords?: string[] },
	user: UserRef
) {
	const label = cleanLabel(input.label);
	const at = nowIso();
	const created = await db.transaction().execute(async (tx) => {
		await questionOf(tx, consultationId, input.questionId);
		const dup = await tx
			.selectFrom('theme')
			.select('id')
			.where('question_id', '=', input.questionId)
			.where('status', '=', 'active')
			.where(sql`lower(label)`, '=', label.toLowerCase())
			.executeTakeFirst();
		if (dup) throw new CodebookEditError(`There is already a theme called "${label}".`);
		const t = await insertTheme(
			tx,
			input.questionId,
			label,
			input.description?.trim() || null,
			input.keywords ?? [],
			null,
			at
		);
		await audit(tx, {
			userId: user.id,
			action: 'theme.add',
			entity: 'theme',
			entityId: t.id,
			after: { questionId: input.questionId },
			detail: { fields: ['label', 'description', 'keywords'] }
		});
		return t;
	});
	scheduleRecode(db, consultationId, input.questionId);
	return created;
}

/** Rename and/or describe a theme (label, description, keywords). */
export async function updateTheme(
	db: Db,
	consultationId: number,
	themeId: number,
	input: { label: string; description?: string | null; keywords?: string[] },
	user: UserRef
) {
	const label = cleanLabel(input.label);
	const at = nowIso();
	const questionId = await db.transaction().execute(async (tx) => {
		const t = await themeOf(tx, consultationId, themeId);
		const after = {
			label,
			description: input.description?.trim() || null,
			keywords: JSON.stringify(input.keywords ?? JSON.parse(t.keywords))
		};
		await tx
			.updateTable('theme')
			.set({ ...after, updated_at: at })
			.where('id', '=', themeId)
			.execute();
		await audit(tx, {
			userId: user.id,
			action: 'theme.update',
			entity: 'theme',
			entityId: themeId,
			detail: { fields: changedFields({ label: t.label, description: t.description, keywords: t.keywords }, after) }
		});
		return t.question_id;
	});
	scheduleRecode(db, consultationId, questionId);
}

/**
 * Retires a theme (or brings a retired one back): a retired theme is hidden from every
 * table, chart, export, the review lists and the public page (they all read active themes
 * only), while its codings, quotes and audit history are kept, so restoring it brings
 * everything back as it was. Audited; the question is recoded without it.
 */
export async function setThemeRetired(
	db: Db,
	consultationId: number,
	themeId: number,
	retired: boolean,
	user: UserRef
): Promise<{ label: string }> {
	const t = await db.transaction().execute(async (tx) => {
		const t = await themeOf(tx, consultationId, themeId);
		if (t.status === (retired ? 'retired' : 'active'))
			throw new CodebookEditError(`“${t.label}” is already ${retired ? 'retired' : 'in use'}.`);
		await tx
			.updateTable('theme')
			.set({ status: retired ? 'retired' : 'active', updated_at: nowIso() })
			.where('id', '=', themeId)
			.execute();
		await audit(tx, {
			userId: user.id,
			action: retired ? 'theme.retire' : 'theme.restore',
			entity: 'theme',
			entityId: themeId,
			before: { status: t.status },
			after: { status: retired ? 'retired' : 'active' }
		});
		return t;
	});
	scheduleRecode(db, consultationId, t.question_id);
	return { label: t.label };
}

/** A question's retired themes that an officer retired (not merged into another), to restore. */
export async function retiredThemes(db: Db, questionId: number) {
	return db
		.selectFrom('theme')
		.select(['id', 'label', 'updated_at'])
		.where('question_id', '=', questionId)
		.where('status', '=', 'retired')
		.where('parent_id', 'is', null)
		.orderBy('position')
		.orderBy('id')
		.execute();
}

/**
 * Merge `fromId` into `intoId` (same question): every answer with the first theme
 * gets the second (an officer's "has it" wins over an officer's "removed"), starred
 * quotes move too, and the first theme is retired with the second as its parent.
 */
export async function mergeThemes(db: Db, consultationId: number, fromId: number, intoId: number, user: UserRef) {
	if (fromId === intoId) throw new CodebookEditError('Choose two different themes to merge.');
	const at = nowIso();
	const questionId = await db.transaction().execute(async (tx) => {
		const from = await themeOf(tx, consultationId, fromId);
		const into = await themeOf(tx, consultationId, intoId);
		if (from.question_id !== into.question_id)
			throw new CodebookEditError('Only themes of the same question can be merged.');
		if (from.status !== 'active' || into.status !== 'active')
			throw new CodebookEditError('Only active themes can be merged.');
		const rows = await tx
			.selectFrom('answer_theme')
			.selectAll()
			.where('theme_id', '=', fromId)
			.where('applies', '=', 1)
			.execute();
		const existing = new Map(
			(await tx.selectFrom('answer_theme').selectAll().where('theme_id', '=', intoId).execute()).map((r) => [
				r.answer_id,
				r
			])
		);
		for (const r of rows) {
			const target = existing.get(r.answer_id);
			if (!target) {
				await tx
					.insertInto('answer_theme')
					.values({ ...r, theme_id: intoId, updated_at: at })
					.execute();
			} else if (target.applies === 0 && r.source === 'human') {
				await tx
					.updateTable('answer_theme')
					.set({ applies: 1, source: 'human', user_id: user.id, updated_at: at })
					.where('answer_id', '=', r.answer_id)
					.where('theme_id', '=', intoId)
					.execute();
			}
		}
		const quotes = await tx.selectFrom('quote').selectAll().where('theme_id', '=', fromId).execute();
		for (const qt of quotes)
			await tx
				.insertInto('quote')
				.values({ ...qt, theme_id: intoId })
				.onConflict((oc) => oc.columns(['theme_id', 'answer_id']).doNothing())
				.execute();
		await tx.deleteFrom('quote').where('theme_id', '=', fromId).execute();
		const keywords = [...new Set([...JSON.parse(into.keywords), ...JSON.parse(from.keywords)])];
		await tx
			.updateTable('theme')
			.set({ keywords: JSON.stringify(keywords), updated_at: at })
			.where('id', '=', intoId)
			.execute();
		await tx
			.updateTable('theme')
			.set({ status: 'retired', parent_id: intoId, updated_at: at })
			.where('id', '=', fromId)
			.execute();
		await audit(tx, {
			userId: user.id,
			action: 'theme.merge',
			entity: 'theme',
			entityId: intoId,
			before: { from: fromId, into: intoId },
			after: { answersMoved: rows.length },
			detail: { retired: fromId }
		});
		return from.question_id;
	});
	scheduleRecode(db, consultationId, questionId);
}

/**
 * Split a theme into two or more new ones, each with keywords. Each answer with the
 * theme goes to every part whose keywords its text contains (as an automatic coding,
 * or an officer's when the original was theirs); answers matching no part keep the
 * original theme, which is retired only when none are left. Recoding then refines it.
 */
export async function splitTheme(
	db: Db,
	consultationId: number,
	themeId: number,
	parts: { label: string; keywords: string[] }[],
	user: UserRef
) {
	if (parts.length < 2) throw new CodebookEditError('Give at least two new themes to split into.');
	for (const p of parts) {
		cleanLabel(p.label);
		if (p.keywords.length === 0)
			throw new CodebookEditError(`Give keywords for "${p.label}" so answers can be sorted into it.`);
	}
	const at = nowIso();
	const result = await db.transaction().execute(async (tx) => {
		const t = await themeOf(tx, consultationId, themeId);
		if (t.status !== 'active') throw new CodebookEditError('Only an active theme can be split.');
		const created: { id: number; label: string; keywords: string[] }[] = [];
		for (const p of parts) {
			const n = await insertTheme(tx, t.question_id, cleanLabel(p.label), null, p.keywords, themeId, at);
			created.push({ id: n.id, label: cleanLabel(p.label), keywords: p.keywords });
		}
		const rows = await tx
			.selectFrom('answer_theme')
			.innerJoin('answer', 'answer.id', 'answer_theme.answer_id')
			.select([
				'answer_theme.answer_id',
				'answer_theme.source',
				'answer_theme.confidence',
				'answer.text',
				'answer.redacted_text'
			])
			.where('answer_theme.theme_id', '=', themeId)
			.where('answer_theme.applies', '=', 1)
			.execute();
		let unmatched = 0;
		const matchers = created.map((c) => keywordPredicate(c.keywords));
		for (const r of rows) {
			const text = r.redacted_text ?? r.text ?? '';
			const hits = created.filter((_, i) => matchers[i](text));
			if (hits.length === 0) {
				unmatched++;
				continue;
			}
			for (const c of hits)
				await tx
					.insertInto('answer_theme')
					.values({
						answer_id: r.answer_id,
						theme_id: c.id,
						source: r.source,
						applies: 1,
						confidence: r.source === 'auto' ? r.confidence : null,
						user_id: r.source === 'human' ? user.id : null,
						updated_at: at
					})
					.execute();
			await tx
				.deleteFrom('answer_theme')
				.where('answer_id', '=', r.answer_id)
				.where('theme_id', '=', themeId)
				.execute();
		}
		if (unmatched === 0)
			await tx.updateTable('theme').set({ status: 'retired', updated_at: at }).where('id', '=', themeId).execute();
		await audit(tx, {
			userId: user.id,
			action: 'theme.split',
			entity: 'theme',
			entityId: themeId,
			before: { answers: rows.length },
			after: { parts: created.map((c) => c.id), unmatched, retired: unmatched === 0 }
		});
		return { questionId: t.question_id, created, unmatched };
	});
	scheduleRecode(db, consultationId, result.questionId);
	return { created: result.created, unmatched: result.unmatched };
}

/**
 * Asks the theme engine for emerging themes among the question's answers that no
 * active theme fits, replacing the candidates not yet decided on.
 */
export async function discoverCandidates(
	db: Db,
	consultationId: number,
	questionId: number,
	user: UserRef,
	limit = 5000
) {
	const at = nowIso();
	const answers = await db
		.selectFrom('answer')
		.innerJoin('question', 'question.id', 'answer.question_id')
		.select(['answer.id', sql<string>`coalesce(answer.redacted_text, answer.text)`.as('text')])
		.where('answer.question_id', '=', questionId)
		.where('question.consultation_id', '=', consultationId)
		.where(sql<string>`coalesce(answer.redacted_text, answer.text)`, 'is not', null)
		.where((eb) => hasNoActiveTheme(eb))
		// Candidates show example answers to every officer: never the words of a flagged answer.
		.where((eb) => eb.not(underSafeguardingReview(eb, 'answer.id')))
		.orderBy('answer.id')
		.limit(limit)
		.execute();
	// In the engine's worker thread: discovery over thousands of answers must not hold up requests.
	const found = await (
		await engineThread()
	).discover(
		answers.map((a) => ({ id: String(a.id), text: a.text })),
		{ max: 10 }
	);
	await db.transaction().execute(async (tx) => {
		await tx.deleteFrom('theme_candidate').where('question_id', '=', questionId).where('status', '=', 'new').execute();
		for (const c of found)
			await tx
				.insertInto('theme_candidate')
				.values({
					question_id: questionId,
					label: c.label,
					phrases: JSON.stringify(c.keywords),
					size: c.size,
					examples: JSON.stringify(c.examples),
					status: 'new',
					created_at: at
				})
				.execute();
		await audit(tx, {
			userId: user.id,
			action: 'theme.discover',
			entity: 'question',
			entityId: questionId,
			detail: { uncodedAnswers: answers.length, candidates: found.length }
		});
	});
	return { looked: answers.length, found: found.length };
}

export async function listCandidates(db: Db, questionId: number) {
	const rows = await db
		.selectFrom('theme_candidate')
		.selectAll()
		.where('question_id', '=', questionId)
		.where('status', '=', 'new')
		.orderBy('size', 'desc')
		.orderBy('id')
		.execute();
	return rows.map((r) => ({
		id: r.id,
		label: r.label,
		phrases: JSON.parse(r.phrases) as string[],
		size: r.size,
		examples: JSON.parse(r.examples) as string[]
	}));
}

/** Accept a candidate as a new theme (optionally renamed), or dismiss it. */
export async function decideCandidate(
	db: Db,
	consultationId: number,
	candidateId: number,
	decision: 'accept' | 'dismiss',
	user: UserRef,
	label?: string
) {
	const at = nowIso();
	const result = await db.transaction().execute(async (tx) => {
		const c = await tx
			.selectFrom('theme_candidate')
			.innerJoin('question', 'question.id', 'theme_candidate.question_id')
			.selectAll('theme_candidate')
			.where('theme_candidate.id', '=', candidateId)
			.where('question.consultation_id', '=', consultationId)
			.executeTakeFirst();
		if (!c) throw new CodebookEditError('That candidate theme is not in this consultation.');
		if (c.status !== 'new') throw new CodebookEditError('That candidate has already been decided.');
		await tx
			.updateTable('theme_candidate')
			.set({ status: decision === 'accept' ? 'accepted' : 'dismissed' })
			.where('id', '=', candidateId)
			.execute();
		let themeId: number | null = null;
		if (decision === 'accept') {
			const name = cleanLabel(label || c.label);
			themeId = (await insertTheme(tx, c.question_id, name, null, JSON.parse(c.phrases), null, at)).id;
		}
		await audit(tx, {
			userId: user.id,
			action: `theme.candidate.${decision}`,
			entity: 'theme_candidate',
			entityId: candidateId,
			before: { size: c.size },
			after: { status: decision === 'accept' ? 'accepted' : 'dismissed', themeId }
		});
		return { questionId: c.question_id, themeId };
	});
	if (decision === 'accept') scheduleRecode(db, consultationId, result.questionId);
	return result.themeId;
}
