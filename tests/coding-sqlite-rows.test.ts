/**
 * SQLite's bulk coder writes each chunk's codings, quote order, aggregates and theme cube cells as prepared
 * statements run once per row on the connection's handle (src/lib/server/coding/store-sqlite.ts `writeRows`, issue
 * #19, helper code38), where each write was one statement reading its rows from a JSON parameter through json_each
 * (`CODING_SQLITE_ROWS=off`, the before). Nothing counted may change: two copies of the same generated answers are
 * coded anew (through the writer thread) and then recoded (a chunk mixing kept, dropped, re-scored and new engine rows
 * beside officers' rows, on the main connection), one copy with the switch off and one with it on: the codings and
 * every aggregate table (AGGREGATE_TABLES: the day tables, the theme cube, the quote order) are the same on both, and
 * equal a rebuild. On the main connection the per-row statements are seen to run (one run per cube cell changed).
 * PostgreSQL has its own coder (store-pg.ts): the switch changes nothing there (checked the same way).
 */
import BetterSqlite from 'better-sqlite3';
import { expect, it } from 'vitest';
import { describeEachEngine } from './helpers/databases';
import { codeOffAndOn, switchCopies } from './helpers/coding-switch-copies';

const SWITCH = 'CODING_SQLITE_ROWS';

/**
 * Counts better-sqlite3 runs on this thread of the per-row statements (a `values (?` upsert or insert into an aggregate
 * or cube table, or the quote order), by table, while `work` runs.
 */
async function perRowRuns<T>(work: () => Promise<T>): Promise<{ result: T; runs: Map<string, number> }> {
	const probe = new BetterSqlite(':memory:');
	const proto = Object.getPrototypeOf(probe.prepare('select 1')) as { run: (...a: unknown[]) => unknown };
	probe.close();
	const original = proto.run;
	const runs = new Map<string, number>();
	proto.run = function (this: { source: string }, ...args: unknown[]) {
		const m = /^insert into (analysis_agg_\w+) \([^)]*\)\s+values \(\?/.exec(this.source);
		if (m) runs.set(m[1], (runs.get(m[1]) ?? 0) + 1);
		return original.apply(this, args);
	};
	try {
		return { result: await work(), runs };
	} finally {
		proto.run = original;
	}
}

describeEachEngine('coding chunks written row by row (CODING_SQLITE_ROWS)', (engine) => {
	const copies = switchCopies(engine, SWITCH, 38);

	it('codes anew and recodes with the switch off and on: the same codings and aggregates, equal to a rebuild', async () => {
		const [off, on] = await codeOffAndOn(copies, SWITCH, perRowRuns);
		expect(off.runs.size).toBe(0);
		if (engine === 'sqlite') {
			// One run per row: the cube's submission cells and the quote order's new rows among them.
			expect(on.runs.get('analysis_agg_theme_submission') ?? 0).toBeGreaterThan(1);
			expect(on.runs.get('analysis_agg_quote_order') ?? 0).toBeGreaterThan(1);
			expect(on.runs.get('analysis_agg_theme_day') ?? 0).toBeGreaterThan(1);
		} else expect(on.runs.size).toBe(0);
	}, 600_000);
});
