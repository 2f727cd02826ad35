/**
 * A coding chunk's aggregates from its net change (SQLite: src/lib/server/coding/store-sqlite.ts; PostgreSQL:
 * store-pg.ts): one chunk of a question's answers mixing every case the net change has to get right, written through
 * `storeVerdicts`, leaves every aggregate equal to a rebuild and the same codings as the grouped shares
 * (`CODING_SQLITE_DELTA=grouped`, aggregate-delta.ts) on a second copy. The cases: verdicts that say what is stored,
 * verdicts that drop every engine row, changed confidences, new themes, officers' rows that apply and that do not
 * (kept, confidence cleared or taken), an answer outside the chunk whose submission or perspective already has a
 * theme the chunk gains or loses (the pair does not move), two answers of one submission in the chunk, one gaining
 * what the other loses, and answers already coded. And an answer whose perspective belongs to another submission (the
 * SQLite coder reads the cube's cells with the answer, from its own submission, and must not use them for such a
 * perspective). Both engines.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase, type Engine, type FreshDb } from './helpers/databases';
import { aggregateSnapshot, expectRebuildUnchanged } from './helpers/aggregates';
import { withEnv } from './helpers/env';
import { activeThemes } from './helpers/coding-switch-copies';
import { loadSmallFixture } from './fixtures/analysis/small';
import { generateAnswers } from '../scripts/generate-answers';
import { storeVerdicts, type Verdicts } from '../src/lib/server/coding/recode';
import type { Db } from '../src/lib/server/db/connect';
import { BYPASS_TABLE, QUOTE_ORDER_BYPASS_ID } from '../src/lib/server/db/migrations/lib/trigger-bypass';

const NOW = '2026-12-03T23:00:00.000Z';

/** The chunk and its verdicts, made the same on either copy (ids are the same: same fixture, same seed). */
async function mixedChunk(db: Db) {
	// The question with most answers from submissions that answered it from two perspectives.
	const pairs = await db
		.selectFrom('answer as a')
		.innerJoin('answer as b', (j) =>
			j
				.onRef('b.submission_id', '=', 'a.submission_id')
				.onRef('b.question_id', '=', 'a.question_id')
				.onRef('b.id', '>', 'a.id')
		)
		.select(['a.id as a', 'b.id as b', 'a.question_id as q'])
		.where('a.text', 'is not', null)
		.where('b.text', 'is not', null)
		.orderBy('a.id')
		.execute();
	const perQuestion = new Map<number, typeof pairs>();
	for (const p of pairs) perQuestion.set(p.q, [...(perQuestion.get(p.q) ?? []), p]);
	const [q, samePairs] = [...perQuestion].sort((x, y) => y[1].length - x[1].length)[0];
	expect(samePairs.length).toBeGreaterThanOrEqual(3);
	const themes = await activeThemes(db, q);
	expect(themes.length).toBeGreaterThanOrEqual(3);
	const [t1, t2, t3] = themes;
	// Outside the chunk: the second answer of two pairs, holding the theme its partner in the chunk gains or loses.
	const [outGain, outLose, inBoth] = samePairs;
	const answers = (
		await db
			.selectFrom('answer')
			.select('id')
			.where('question_id', '=', q)
			.where('text', 'is not', null)
			.where('id', 'not in', [outGain.b, outLose.b])
			.orderBy('id')
			.limit(36)
			.execute()
	).map((r) => r.id);
	const chunk = [...new Set([...answers, outGain.a, outLose.a, inBoth.a, inBoth.b])].sort((x, y) => x - y);
	const outside = [outGain.b, outLose.b].filter((id) => !chunk.includes(id));
	expect(outside.length).toBe(2);
	const auto = (answer_id: number, theme_id: number, confidence = 0.7) => ({
		answer_id,
		theme_id,
		source: 'auto' as const,
		applies: 1,
		confidence,
		user_id: null,
		updated_at: NOW
	});
	// Writes outside the coder (their triggers on): the partners' theme, officers' rows, a lost engine row.
	await db
		.deleteFrom('answer_theme')
		.where('answer_id', 'in', [...outside, outGain.a, outLose.a, inBoth.a, inBoth.b])
		.execute();
	await db
		.insertInto('answer_theme')
		.values([auto(outGain.b, t3.id), auto(outLose.b, t3.id), auto(outLose.a, t3.id), auto(inBoth.a, t2.id)])
		.execute();
	const officer = (answer_id: number, theme_id: number, applies: number) => ({
		...auto(answer_id, theme_id, 0.5),
		source: 'human' as const,
		applies
	});
	await db
		.deleteFrom('answer_theme')
		.where('answer_id', 'in', [answers[4], answers[5], answers[10], answers[11]])
		.execute();
	await db
		.insertInto('answer_theme')
		.values([
			officer(answers[4], t1.id, 1),
			officer(answers[5], t2.id, 0),
			officer(answers[10], t1.id, 1),
			officer(answers[11], t1.id, 1)
		])
		.execute();
	// Half the chunk already coded, half new.
	await db
		.updateTable('answer')
		.set({ coded_at: null })
		.where(
			'id',
			'in',
			chunk.filter((_, i) => i % 2 === 0)
		)
		.execute();

	const stored = await db.selectFrom('answer_theme').selectAll().where('answer_id', 'in', chunk).execute();
	const code = new Map(themes.map((t) => [t.id, t.code]));
	const storedThemes = (id: number) => stored.filter((x) => x.answer_id === id && x.applies === 1);
	const verdicts: Verdicts = chunk.map((id, i) => {
		let out: { id: string; confidence: number }[];
		if (id === outGain.a)
			out = [{ id: t3.code, confidence: 0.8 }]; // gains what its partner outside has
		else if (id === outLose.a)
			out = []; // loses what its partner outside still has
		else if (id === inBoth.a)
			out = [{ id: t3.code, confidence: 0.6 }]; // loses t2, gains t3 ...
		else if (id === inBoth.b)
			out = [{ id: t2.code, confidence: 0.6 }]; // ... and its partner the reverse
		else if (id === answers[4])
			out = [{ id: t2.code, confidence: 0.9 }]; // officer's t1 kept, confidence cleared
		else if (id === answers[5])
			out = [t2, t3].map((t) => ({ id: t.code, confidence: 0.4 })); // officer's "no" kept
		else if (id === answers[10])
			out = [{ id: t1.code, confidence: 0.5 }]; // officer's row as it is
		else if (id === answers[11])
			out = [{ id: t1.code, confidence: 0.9 }]; // officer's "yes" takes the confidence (its quote-order row too)
		else
			switch (i % 4) {
				case 0: // what is stored
					out = storedThemes(id).map((x) => ({ id: code.get(x.theme_id)!, confidence: x.confidence ?? 1 }));
					break;
				case 1: // nothing: every engine row goes
					out = [];
					break;
				case 2: // the same themes, other confidences
					out = storedThemes(id).map((x) => ({ id: code.get(x.theme_id)!, confidence: 0.123 }));
					break;
				default: // every theme
					out = themes.map((t) => ({ id: t.code, confidence: 0.55 }));
			}
		return { id: String(id), themes: out } as Verdicts[number];
	});
	return { chunk, verdicts, themeIds: new Map(themes.map((t) => [t.code, t.id])) };
}

async function codings(db: Db, ids: number[]) {
	return (
		await db
			.selectFrom('answer_theme')
			.select(['answer_id', 'theme_id', 'source', 'applies', 'confidence', 'user_id'])
			.where('answer_id', 'in', ids)
			.orderBy('answer_id')
			.orderBy('theme_id')
			.execute()
	).map((r) => ({ ...r, confidence: r.confidence === null ? null : Number(r.confidence) }));
}

/**
 * A mixed chunk (mixedChunk) stored through the coder with one A/B switch set (undefined: the default path);
 * `beforeStore` runs between the chunk's setup and the coder's write. Returns the chunk's answer ids.
 */
async function storeMixedChunk(db: Db, name: string, mode: string | undefined, beforeStore?: () => Promise<unknown>) {
	const { chunk, verdicts, themeIds } = await mixedChunk(db);
	await beforeStore?.();
	await withEnv(name, mode, () =>
		storeVerdicts(
			db,
			{ key: 'test', themeIds },
			chunk.map((id) => ({ id })),
			verdicts,
			null
		)
	);
	return chunk;
}

/**
 * Two prepared copies of the small fixture with the same 400 generated answers (one per side of an A/B), made before
 * the suite's tests and dropped after them.
 */
function twoCopies(engine: Engine['name'], seed: number): () => [FreshDb, FreshDb] {
	let copies: [FreshDb, FreshDb] | undefined;
	beforeAll(async () => {
		process.env.ANALYSIS_CACHE = 'off';
		copies = [await preparedDatabase(engine), await preparedDatabase(engine)];
		for (const f of copies) {
			await loadSmallFixture(f.db);
			await generateAnswers(f.db, { answers: 400, seed, rowTriggers: true });
		}
	}, 180_000);
	afterAll(async () => {
		for (const f of copies ?? []) await f.drop();
	});
	return () => copies!;
}

describeEachEngine("a coding chunk's aggregates from its net change", (engine) => {
	const copies = twoCopies(engine, 22);

	it('a mixed chunk leaves every aggregate equal to a rebuild, with the grouped path’s codings', async () => {
		const results = [];
		for (const [f, mode] of [
			[copies()[0], undefined],
			[copies()[1], 'grouped']
		] as const) {
			const chunk = await storeMixedChunk(f.db, 'CODING_SQLITE_DELTA', mode, () =>
				expectRebuildUnchanged(f.db, `before the chunk (${mode ?? 'net'})`)
			);
			await expectRebuildUnchanged(f.db, `after the chunk (${mode ?? 'net'})`);
			const coded = await f.db
				.selectFrom('answer')
				.select('id')
				.where('id', 'in', chunk)
				.where('coded_at', 'is', null)
				.execute();
			expect(coded).toEqual([]);
			results.push(await codings(f.db, chunk));
		}
		expect(results[0].length).toBeGreaterThan(30);
		expect(results[0]).toEqual(results[1]);
	}, 120_000);

	it('an answer whose perspective belongs to another submission: the same aggregates as the cube’s own statements', async () => {
		// Not how answers are written (a rebuild and the triggers disagree on such an answer), but nothing in the schema
		// forbids it: the theme cube's statements count a perspective in its own submission's district and channel
		// (lib/theme-cube-sql.ts), where SQLite's coder reads the cells with the answer, from the answer's submission.
		const snapshots = [];
		for (const [f, mode] of [
			[copies()[0], undefined],
			[copies()[1], 'sql']
		] as const) {
			const db = f.db;
			const answers = await db
				.selectFrom('answer as a')
				.innerJoin('submission as s', 's.id', 'a.submission_id')
				.select(['a.id', 'a.question_id', 's.district_code', 's.channel'])
				.where('a.text', 'is not', null)
				.orderBy('a.id')
				.execute();
			const q = answers[0].question_id;
			const chunk = answers.filter((a) => a.question_id === q).slice(0, 20);
			const moved = chunk[3];
			// A perspective of a submission in another district or channel, with no answer to the question.
			const target = await db
				.selectFrom('perspective as p')
				.innerJoin('submission as s', 's.id', 'p.submission_id')
				.select('p.id')
				.where((eb) =>
					eb.or([eb('s.channel', '<>', moved.channel), eb('s.district_code', 'is distinct from', moved.district_code)])
				)
				.where(({ not, exists, selectFrom }) =>
					not(
						exists(
							selectFrom('answer as x')
								.select('x.id')
								.whereRef('x.perspective_id', '=', 'p.id')
								.where('x.question_id', '=', q)
						)
					)
				)
				.orderBy('p.id')
				.executeTakeFirstOrThrow();
			await db.updateTable('answer').set({ perspective_id: target.id }).where('id', '=', moved.id).execute();
			const themes = await activeThemes(db, q);
			// Every answer of the chunk gets every theme: the moved answer's perspective gains what it did not have.
			await withEnv('CODING_SQLITE_CUBE', mode, () =>
				storeVerdicts(
					db,
					{ key: 'test', themeIds: new Map(themes.map((t) => [t.code, t.id])) },
					chunk.map((a) => ({ id: a.id })),
					chunk.map((a) => ({
						id: String(a.id),
						themes: themes.map((t) => ({ id: t.code, confidence: 0.61 }))
					})) as Verdicts,
					null
				)
			);
			// The aggregate tables (not the sets, which name submissions by their random ids).
			const { sets: _sets, perspectiveSets: _perspectiveSets, ...tables } = await aggregateSnapshot(db);
			snapshots.push(tables);
		}
		expect(snapshots[0]).toEqual(snapshots[1]);
	}, 120_000);
});

describeEachEngine('the kept quote order written from the chunk (SQLite) or by its triggers', (engine) => {
	const copies = twoCopies(engine, 24);

	it('two mixed chunks leave the same quote order, equal to a rebuild, as the triggers (CODING_SQLITE_QUOTE_ORDER=triggers)', async () => {
		const snapshots = [];
		for (const [f, mode] of [
			[copies()[0], undefined],
			[copies()[1], 'triggers']
		] as const) {
			// Twice: the second chunk finds the first's engine rows (kept, dropped, their confidence changed).
			for (const round of [1, 2]) {
				await storeMixedChunk(f.db, 'CODING_SQLITE_QUOTE_ORDER', mode);
				await expectRebuildUnchanged(f.db, `after chunk ${round} (${mode ?? 'here'})`);
			}
			const { sets: _sets, perspectiveSets: _perspectiveSets, ...tables } = await aggregateSnapshot(f.db);
			snapshots.push(tables);
		}
		expect(snapshots[0].analysis_agg_quote_order.length).toBeGreaterThan(100);
		expect(snapshots[0]).toEqual(snapshots[1]);
	}, 120_000);

	describe.skipIf(engine !== 'sqlite')('SQLite: the second bypass row', () => {
		it('switches the quote-order triggers off; the first alone (every other bypass user) does not', async () => {
			const db = copies()[0].db;
			const qoRows = async (on: Pick<Db, 'getExecutor'> = db) =>
				Number((await sql<{ n: number }>`select count(*) as n from analysis_agg_quote_order`.execute(on)).rows[0].n);
			const x = (
				await sql<{ answer_id: number; theme_id: number }>`select answer_id, theme_id from answer_theme
					where applies = 1 order by answer_id, theme_id limit 1`.execute(db)
			).rows[0];
			const [row] = (
				await sql<
					Record<string, unknown>
				>`select * from answer_theme where answer_id = ${x.answer_id} and theme_id = ${x.theme_id}`.execute(db)
			).rows;
			const before = await qoRows();
			await db.transaction().execute(async (tx) => {
				await sql`insert into ${sql.table(BYPASS_TABLE)} (id) values (1)`.execute(tx);
				await sql`delete from answer_theme where answer_id = ${x.answer_id} and theme_id = ${x.theme_id}`.execute(tx);
				expect(await qoRows(tx)).toBe(before - 1);
				await sql`insert into ${sql.table(BYPASS_TABLE)} (id) values (${QUOTE_ORDER_BYPASS_ID})`.execute(tx);
				await tx
					.insertInto('answer_theme')
					.values(row as never)
					.execute();
				expect(await qoRows(tx)).toBe(before - 1);
				await sql`delete from ${sql.table(BYPASS_TABLE)} where id = ${QUOTE_ORDER_BYPASS_ID}`.execute(tx);
				await sql`delete from answer_theme where answer_id = ${x.answer_id} and theme_id = ${x.theme_id}`.execute(tx);
				await tx
					.insertInto('answer_theme')
					.values(row as never)
					.execute();
				expect(await qoRows(tx)).toBe(before);
				await sql`delete from ${sql.table(BYPASS_TABLE)}`.execute(tx);
			});
			await expectRebuildUnchanged(db, 'after the bypass rows');
		});
	});
});
