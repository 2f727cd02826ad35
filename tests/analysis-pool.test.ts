/**
 * PostgreSQL pool and the analysis views (issue #19). A filtered view works out its wider and
 * sibling views together (analysis/wider.ts): hundreds of queries at once, which on a national
 * consultation queued on the pool until some timed out ("timeout exceeded when trying to connect"),
 * and kept every other request (a child's submission) waiting behind them. Analysis queries now
 * go through a lane of the pool (connect.ts, analysisDb) that uses at most PG_POOL_SIZE - 1 of its
 * connections, so one is always free for the rest of the app.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { preparedDatabase, TEST_DATABASE_URL, type FreshDb } from './helpers/databases';
import { loadSmallFixture, type Fixture } from './fixtures/analysis/small';
import { loadDemoLike } from './fixtures/analysis/demo-like';
import { analysisConnections, analysisDb, openDatabase, type OpenDb } from '../src/lib/server/db/connect';
import { parseDatabaseUrl } from '../src/lib/server/db/config';
import { questionThemeTables } from '../src/lib/server/analysis/dashboard';
import { analysisFilters, scopeOf } from '../src/lib/server/analysis/scope';
import type { TableData } from '../src/lib/analysis/tables';

/** Filtered by a group and a district: the view with the most wider and sibling views to work out. */
const QS = 'group=child&district=bromsgrove';

describe.skipIf(!TEST_DATABASE_URL)('analysis on a small PostgreSQL pool', () => {
	let fresh: FreshDb;
	let fx: Fixture;
	let small: OpenDb;
	const cacheBefore = process.env.ANALYSIS_CACHE;
	beforeAll(async () => {
		// Every view worked out afresh (the result cache would answer the second one from memory).
		process.env.ANALYSIS_CACHE = 'off';
		fresh = await preparedDatabase('postgres');
		fx = await loadSmallFixture(fresh.db);
		await loadDemoLike(fresh, fx);
		const before = process.env.PG_POOL_SIZE;
		process.env.PG_POOL_SIZE = '2';
		try {
			small = await openDatabase(parseDatabaseUrl(fresh.url));
		} finally {
			if (before === undefined) delete process.env.PG_POOL_SIZE;
			else process.env.PG_POOL_SIZE = before;
		}
	}, 120_000);
	afterAll(async () => {
		if (cacheBefore === undefined) delete process.env.ANALYSIS_CACHE;
		else process.env.ANALYSIS_CACHE = cacheBefore;
		await small?.close();
		await fresh?.drop();
	});

	/** Every question's theme tables (counts and ticks), as the all-questions themes page builds them. */
	async function allThemeTables(db: OpenDb['db']): Promise<TableData[]> {
		const filters = await analysisFilters(db, fx.c, new URLSearchParams(QS));
		const s = scopeOf(fx.c, filters);
		const per = await Promise.all(
			fx.c.questions.map((q) =>
				questionThemeTables(db, fx.c, s, q.key, { top: 5, minPct: 10 }, { base: '/b', filters })
			)
		);
		return per.flatMap((t) => (t ? [t.counts, t.ticks] : []));
	}

	it('leaves one connection of the pool to the rest of the app', () => {
		expect(analysisConnections(2)).toBe(1);
		expect(analysisConnections(1)).toBe(1);
		expect(analysisConnections(10)).toBe(9);
		expect(analysisDb(small.db)).not.toBe(small.db);
		expect(analysisDb(analysisDb(small.db))).toBe(analysisDb(small.db));
	});

	it('serves the all-questions theme tables with 2 connections, the same as with 10, leaving one free', async () => {
		const pool = small.pgPool!;
		let busy = 0;
		let mostBusy = 0;
		const acquired = () => (mostBusy = Math.max(mostBusy, ++busy));
		const released = () => busy--;
		pool.on('acquire', acquired);
		pool.on('release', released);
		let tables: TableData[];
		try {
			tables = await allThemeTables(small.db);
		} finally {
			pool.off('acquire', acquired);
			pool.off('release', released);
		}
		expect(tables.length).toBeGreaterThan(0);
		expect(tables).toEqual(await allThemeTables(fresh.db));
		// The view's many queries waited their turn in the analysis lane, one connection at a time.
		expect(mostBusy).toBe(1);
	}, 120_000);

	it('answers another request while the view is worked out, before the view is done', async () => {
		const view = allThemeTables(small.db);
		let viewDone = false;
		void view.then(() => (viewDone = true));
		// A request that is not analysis (a child's submission, a sign-in) meanwhile.
		const probed = await sql<{ one: number }>`select 1 as one`.execute(small.db);
		const probeBeforeView = !viewDone;
		await view;
		expect(probed.rows).toEqual([{ one: 1 }]);
		expect(probeBeforeView).toBe(true);
	}, 120_000);
});
