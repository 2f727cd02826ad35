/**
 * Two copies of the same coded answers, one coded with a coder switch off and one on (tests/coding-sqlite-rows and
 * coding-sqlite-triggered-set): their aggregate tables compared table by table, each against a rebuild, and the same
 * recode chunk written on either copy.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { aggregateSnapshot } from './aggregates';
import { preparedDatabase, type Engine, type FreshDb } from './databases';
import { codings, forgetCodings } from './coding-reset';
import { withEnv } from './env';
import { loadSmallFixture } from '../fixtures/analysis/small';
import { generateAnswers } from '../../scripts/generate-answers';
import { rebuildAggregates } from '../../src/lib/server/analysis/aggregates';
import { codeUncoded, storeVerdicts, type Verdicts } from '../../src/lib/server/coding/recode';
import { stopEngineThread } from '../../src/lib/server/coding/engine';
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

/** A question's active themes, by id: what a recode chunk may give its answers. */
export function activeThemes(db: Db, questionId: number) {
	return db
		.selectFrom('theme')
		.select(['id', 'code'])
		.where('question_id', '=', questionId)
		.where('status', '=', 'active')
		.orderBy('id')
		.execute();
}

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
	const themes = await activeThemes(db, q);
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

/**
 * Two copies of the same generated answers (small fixture, 1,200 answers, `seed`) made before the suite's tests and
 * dropped after them, with the switch `name` restored and the coder's engine thread stopped.
 */
export function switchCopies(engine: Engine['name'], name: string, seed: number): FreshDb[] {
	const copies: FreshDb[] = [];
	const saved = process.env[name];
	beforeAll(async () => {
		process.env.ANALYSIS_CACHE = 'off';
		for (let i = 0; i < 2; i++) {
			const f = await preparedDatabase(engine);
			copies.push(f);
			await loadSmallFixture(f.db);
			await generateAnswers(f.db, { answers: 1200, seed, rowTriggers: true });
		}
	}, 240_000);
	afterAll(async () => {
		if (saved === undefined) delete process.env[name];
		else process.env[name] = saved;
		await stopEngineThread();
		for (const f of copies) await f.drop();
	});
	return copies;
}

/** One copy's codings and aggregates after coding anew and after the recode chunk, and what `count` saw of the recode. */
export interface CopyResult {
	coded: unknown;
	recoded: unknown;
	anew: Snapshot;
	after: Snapshot;
	runs: Map<string, number>;
}

/**
 * Codes the first copy anew with the switch `name` off and the second with it on (each through its own writer thread,
 * which copies the environment as set here), checks each against a rebuild, then writes the same recode chunk on each
 * (on the main connection, `count` watching it), and checks that the codings and every aggregate table are the same
 * on and off. Returns [off, on] for the caller's own checks of what `count` saw.
 */
export async function codeOffAndOn(
	copies: FreshDb[],
	name: string,
	count: <T>(work: () => Promise<T>) => Promise<{ result: T; runs: Map<string, number> }>
): Promise<[CopyResult, CopyResult]> {
	const results: CopyResult[] = [];
	for (const [f, mode] of [
		[copies[0], 'off'],
		[copies[1], undefined]
	] as const) {
		const db = f.db;
		const label = `${name}=${mode ?? 'on'}`;
		await forgetCodings(db);
		const n = await withEnv(name, mode, () => codeUncoded(db));
		expect(n).toBeGreaterThan(800);
		const anew = withoutIds(await keptEqualsRebuild(db, `coded anew, ${label}`));
		const coded = await codings(db);
		const { chunk, verdicts, themeIds } = await recodeChunk(db);
		const { runs } = await count(() =>
			withEnv(name, mode, () =>
				storeVerdicts(
					db,
					{ key: 'test', themeIds },
					chunk.map((id) => ({ id })),
					verdicts,
					null
				)
			)
		);
		const after = withoutIds(await keptEqualsRebuild(db, `recoded, ${label}`));
		results.push({ coded, anew, recoded: await codings(db), after, runs });
	}
	const [off, on] = results;
	expect(on.coded).toEqual(off.coded);
	expectTablesEqual(on.anew, off.anew, 'coded anew, on against off');
	expect(on.recoded).toEqual(off.recoded);
	expect(on.recoded).not.toEqual(on.coded); // the recode changed something
	expectTablesEqual(on.after, off.after, 'recoded, on against off');
	return [off, on];
}
