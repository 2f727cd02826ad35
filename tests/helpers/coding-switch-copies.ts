/**
 * Two copies of the same coded answers, one coded with a coder switch off and one on (tests/coding-sqlite-rows and
 * coding-sqlite-triggered-set): their aggregate tables compared table by table, each against a rebuild, and the same
 * recode chunk written on either copy.
 */
import { expect } from 'vitest';
import { aggregateSnapshot } from './aggregates';
import { rebuildAggregates } from '../../src/lib/server/analysis/aggregates';
import type { Verdicts } from '../../src/lib/server/coding/recode';
import type { Db } from '../../src/lib/server/db/connect';

export type Snapshot = Record<string, Record<string, unknown>[]>;

/** Each table of `a` equals the same table of `b` (a failure names the table). */
export function expectTablesEqual(a: Snapshot, b: Snapshot, what: string) {
	expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
	for (const t of Object.keys(a)) expect(a[t], `${what}: ${t}`).toEqual(b[t]);
}

/** The aggregates as kept, checked table by table against a rebuild from scratch; returns them. */
export async function keptEqualsRebuild(db: Db, what: string): Promise<Snapshot> {
	const kept = await aggregateSnapshot(db);
	await rebuildAggregates(db);
	expectTablesEqual(await aggregateSnapshot(db), kept, `${what}, rebuilt against kept`);
	return kept;
}

/** An aggregate snapshot comparable between two copies: the submissions' sets without their ids (random UUIDs). */
export const withoutIds = (snapshot: Snapshot): Snapshot => ({
	...snapshot,
	sets: snapshot.sets
		.map((r) => ({ sets: `${String(r.group_set)} ${String(r.question_set)}` }))
		.sort((x, y) => x.sets.localeCompare(y.sets))
});

/**
 * A recode chunk of one question's answers, the same on either copy (same fixture, same seed): officers' answers
 * first, and for the others by turns the stored themes, none, the stored themes at another confidence, every theme.
 */
export async function recodeChunk(db: Db) {
	const [{ q }] = await db
		.selectFrom('answer as a')
		.innerJoin('answer_theme as x', 'x.answer_id', 'a.id')
		.select(['a.question_id as q', (eb) => eb.fn.countAll<number>().as('n')])
		.where('x.source', '=', 'human')
		.groupBy('a.question_id')
		.orderBy('n', 'desc')
		.orderBy('a.question_id')
		.limit(1)
		.execute();
	const themes = await db
		.selectFrom('theme')
		.select(['id', 'code'])
		.where('question_id', '=', q)
		.where('status', '=', 'active')
		.orderBy('id')
		.execute();
	expect(themes.length).toBeGreaterThanOrEqual(3);
	const answers = await db
		.selectFrom('answer as a')
		.select([
			'a.id',
			(eb) =>
				eb
					.selectFrom('answer_theme as h')
					.select((e) => e.fn.countAll<number>().as('n'))
					.whereRef('h.answer_id', '=', 'a.id')
					.where('h.source', '=', 'human')
					.as('human')
		])
		.where('a.question_id', '=', q)
		.where('a.text', 'is not', null)
		.orderBy('human', 'desc')
		.orderBy('a.id')
		.limit(80)
		.execute();
	const chunk = answers.map((a) => a.id).sort((x, y) => x - y);
	expect(answers.filter((a) => Number(a.human) > 0).length).toBeGreaterThan(3);
	const stored = await db
		.selectFrom('answer_theme')
		.select(['answer_id', 'theme_id', 'confidence', 'applies'])
		.where('answer_id', 'in', chunk)
		.execute();
	const code = new Map(themes.map((t) => [t.id, t.code]));
	const storedThemes = (id: number) =>
		stored.filter((x) => x.answer_id === id && x.applies === 1 && code.has(x.theme_id));
	const verdicts: Verdicts = chunk.map((id, i) => {
		let out: { id: string; confidence: number }[];
		switch (i % 4) {
			case 0:
				out = storedThemes(id).map((x) => ({ id: code.get(x.theme_id)!, confidence: Number(x.confidence ?? 1) }));
				break;
			case 1:
				out = [];
				break;
			case 2:
				out = storedThemes(id).map((x) => ({ id: code.get(x.theme_id)!, confidence: 0.321 }));
				break;
			default:
				out = themes.map((t) => ({ id: t.code, confidence: 0.66 }));
		}
		return { id: String(id), themes: out } as Verdicts[number];
	});
	return { chunk, verdicts, themeIds: new Map(themes.map((t) => [t.code, t.id])) };
}
