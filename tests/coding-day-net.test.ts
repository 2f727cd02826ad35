/**
 * SQLite's bulk coder writes the day aggregates' net change itself (src/lib/server/coding/store-sqlite.ts,
 * `dayNetHere`; migration 2026-12-12-0600 guards their answer_theme row triggers by a bypass row of their own): a
 * chunk in which several answers of one (question, group, district, channel, day) cell gain the same theme writes
 * that cell's analysis_agg_theme_day row once, where the row triggers wrote it once per coding. Either way the day
 * tables equal a rebuild. `ANALYSIS_DAY_CODER_NET=off` leaves the triggers to it (the before). SQLite only: the
 * PostgreSQL coders keep the day share with their own statements (aggregate-delta.ts dayShares).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { preparedDatabase, type FreshDb } from './helpers/databases';
import { loadSmallFixture } from './fixtures/analysis/small';
import { generateAnswers } from '../scripts/generate-answers';
import { rebuildAggregates } from '../src/lib/server/analysis/aggregates';
import { storeVerdictsSqlite } from '../src/lib/server/coding/store-sqlite';
import { stopEngineThread } from '../src/lib/server/coding/engine';
import type { Db } from '../src/lib/server/db/connect';

const DAY_TABLES = ['analysis_agg_answer_day', 'analysis_agg_theme_day'] as const;

/** The day tables' rows with a count (a delta may leave a 0 where a rebuild has no row), sorted. */
async function dayRows(db: Db): Promise<Record<string, string[]>> {
	const out: Record<string, string[]> = {};
	for (const t of DAY_TABLES)
		out[t] = (
			await sql<Record<string, unknown>>`select * from ${sql.table(t)} where n <> 0 ${
				t === 'analysis_agg_answer_day' ? sql`or coded <> 0` : sql``
			}`.execute(db)
		).rows
			.map((r) => JSON.stringify(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' ? v : Number(v)])))
			.sort();
	return out;
}

describe('sqlite: the coder writes the day aggregates net', () => {
	let fresh: FreshDb;
	let cellNo = 0;

	beforeAll(async () => {
		process.env.ANALYSIS_CACHE = 'off';
		fresh = await preparedDatabase('sqlite');
		await loadSmallFixture(fresh.db);
		await generateAnswers(fresh.db, { answers: 2000, seed: 5, rowTriggers: true });
		// Rows written to analysis_agg_theme_day (inserted or updated), by a temp trigger of this connection.
		await sql`create temp table theme_day_writes (n integer not null)`.execute(fresh.db);
		for (const op of ['insert', 'update'])
			await sql
				.raw(
					`create temp trigger theme_day_writes_${op} after ${op} on main.analysis_agg_theme_day
					 begin insert into theme_day_writes values (1); end`
				)
				.execute(fresh.db);
	}, 180_000);
	afterEach(() => {
		delete process.env.ANALYSIS_DAY_CODER_NET;
	});
	afterAll(async () => {
		await stopEngineThread();
		await fresh?.drop();
	});

	/**
	 * Answers of one (question, group, district, channel, day) cell (a different cell each call), with no codings
	 * left (deleted through the triggers), and an active theme of their question.
	 */
	async function oneCell(): Promise<{ ids: number[]; theme: number }> {
		const cells = (
			await sql<{ q: number; ids: string }>`select a.question_id as q, group_concat(a.id) as ids
				from answer a join perspective p on p.id = a.perspective_id join submission s on s.id = a.submission_id
				where exists (select 1 from theme t where t.question_id = a.question_id and t.status = 'active')
				group by a.question_id, p.group_code, s.district_code, s.channel, substr(s.created_at, 1, 10)
				having count(*) >= 2 order by count(*) desc, a.question_id`.execute(fresh.db)
		).rows;
		const cell = cells[cellNo++];
		const ids = cell.ids.split(',').map(Number).slice(0, 6);
		const { id: theme } = await fresh.db
			.selectFrom('theme')
			.select('id')
			.where('question_id', '=', cell.q)
			.where('status', '=', 'active')
			.orderBy('id')
			.executeTakeFirstOrThrow();
		await fresh.db.deleteFrom('answer_theme').where('answer_id', 'in', ids).execute();
		return { ids, theme };
	}

	/** Codes `ids` with `theme` in one chunk; the analysis_agg_theme_day rows it wrote. */
	async function codeChunk(ids: number[], theme: number): Promise<number> {
		let writes = -1;
		await fresh.db.transaction().execute(async (tx) => {
			const count = async () =>
				Number((await sql<{ n: number }>`select count(*) as n from theme_day_writes`.execute(tx)).rows[0].n);
			const w0 = await count();
			await storeVerdictsSqlite(
				tx,
				ids,
				ids.map((answer_id) => ({ answer_id, theme_id: theme, confidence: 0.7 })),
				'2026-12-05T05:00:00.000Z'
			);
			writes = (await count()) - w0;
		});
		return writes;
	}

	async function expectDayEqualsRebuild() {
		const kept = await dayRows(fresh.db);
		await rebuildAggregates(fresh.db);
		expect(await dayRows(fresh.db)).toEqual(kept);
	}

	it("writes a cell's theme-day row once for all its answers gaining the theme", async () => {
		const { ids, theme } = await oneCell();
		expect(ids.length).toBeGreaterThanOrEqual(2);
		expect(await codeChunk(ids, theme)).toBe(1);
		await expectDayEqualsRebuild();
		// And taking them away again: one row again.
		await fresh.db.transaction().execute(async (tx) => {
			await storeVerdictsSqlite(tx, ids, [], '2026-12-05T05:01:00.000Z');
		});
		await expectDayEqualsRebuild();
	});

	it('ANALYSIS_DAY_CODER_NET=off leaves the day tables to their row triggers, one write per coding', async () => {
		process.env.ANALYSIS_DAY_CODER_NET = 'off';
		const { ids, theme } = await oneCell();
		expect(await codeChunk(ids, theme)).toBe(ids.length);
		await expectDayEqualsRebuild();
	});
});
