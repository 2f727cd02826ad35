/**
 * The bulk generator's fast path (aggregate and data-version triggers off, one rebuild at the end; on SQLite also
 * few large transactions and unsynced writes) must leave the same data and aggregates as generating with every row
 * trigger on, and leave the triggers and the connection's settings as they were.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { generateAnswers } from '../scripts/generate-answers';
import { AGGREGATE_TABLES, rebuildAggregates } from '../src/lib/server/analysis/aggregates';
import type { Db } from '../src/lib/server/db/connect';

type Row = Record<string, unknown>;

/** Rows as sorted JSON, numbers as numbers (PostgreSQL returns bigint sums as strings). */
const norm = (rows: Row[]) =>
	rows.map((r) => JSON.stringify(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' ? v : Number(v)]))).sort();

/**
 * What a user of the data sees, without what differs between two runs with the same seed: the submissions' random
 * ids (and references made from them) and the time of the run (coded_at, a coding's updated_at).
 */
async function content(db: Db): Promise<Record<string, string[]>> {
	const out: Record<string, string[]> = {};
	for (const t of AGGREGATE_TABLES)
		// A trigger leaves a row at 0 where a rebuild has none.
		out[t] = norm(
			(await db.selectFrom(t).selectAll().execute()).filter(
				(r: Row) => Number(r.n) !== 0 || Number(r.coded ?? 0) !== 0 || Number(r.demo ?? 0) !== 0
			)
		);
	out.submissions = norm(
		(await db.selectFrom('submission').selectAll().execute()).map(({ id: _i, reference: _r, ...rest }) => rest)
	);
	out.answers = norm(
		await db
			.selectFrom('answer')
			.select(['id', 'question_id', 'text', 'redacted_text', 'reviewed_by', 'created_at'])
			.select((eb) => eb('reviewed_at', 'is not', null).as('reviewed'))
			.execute()
	);
	out.codings = norm(
		await db
			.selectFrom('answer_theme')
			.select(['answer_id', 'theme_id', 'source', 'applies', 'confidence', 'user_id'])
			.execute()
	);
	out.perspectives = norm(await db.selectFrom('perspective').select(['id', 'group_code', 'position']).execute());
	return out;
}

async function triggers(db: Db, pg: boolean): Promise<string[]> {
	const q = pg
		? sql<{ t: string }>`select tgname || ':' || tgrelid::regclass::text as t from pg_trigger where not tgisinternal`
		: sql<{ t: string }>`select name || ':' || sql as t from sqlite_master where type = 'trigger'`;
	return (await q.execute(db)).rows.map((r) => r.t).sort();
}

describeEachEngine('the bulk generator', (engine) => {
	const pg = engine === 'postgres';
	let slow: FreshDb;
	let fast: FreshDb;

	beforeAll(async () => {
		[slow, fast] = await Promise.all([preparedDatabase(engine), preparedDatabase(engine)]);
	}, 120_000);
	afterAll(async () => {
		await slow?.drop();
		await fast?.drop();
	});

	it('without row triggers gives the same data and aggregates as with them, and puts everything back', async () => {
		const triggersBefore = await triggers(fast.db, pg);
		const synchronous = pg ? null : (await sql.raw(`pragma synchronous`).execute(fast.db)).rows;
		await generateAnswers(slow.db, { answers: 1500, seed: 4, rowTriggers: true });
		const result = await generateAnswers(fast.db, { answers: 1500, seed: 4 });
		expect(result.answers).toBeGreaterThanOrEqual(1500);

		const expected = await content(slow.db);
		expect(expected.analysis_agg_theme.length).toBeGreaterThan(20);
		expect(await content(fast.db)).toEqual(expected);

		expect(await triggers(fast.db, pg)).toEqual(triggersBefore);
		if (!pg) expect((await sql.raw(`pragma synchronous`).execute(fast.db)).rows).toEqual(synchronous);
		// The triggers work again: a later write keeps the aggregates equal to a rebuild.
		await generateAnswers(fast.db, { answers: 50, seed: 9, rowTriggers: true });
		const incremental = await content(fast.db);
		await rebuildAggregates(fast.db);
		expect(await content(fast.db)).toEqual(incremental);
	}, 240_000);
});
