/**
 * SQLite's bulk coder, on its per-row path (CODING_SQLITE_ROWS, helper code38), writes the two tables with row
 * triggers (answer_theme's codings, answer's `coded_at`) as one statement a chunk, their rows one JSON parameter
 * (src/lib/server/coding/store-sqlite.ts `triggeredSet`, issue #19, helper code39): run once per row, each statement
 * set up and tore down every trigger's sub-program frame per row only to find the coder's bypass in its WHEN
 * (`CODING_SQLITE_TRIGGERED_SET=off`, the before). Nothing counted may change: two copies of the same generated answers
 * are coded anew (through the writer thread) and then recoded (a chunk mixing kept, dropped, re-scored and new engine
 * rows beside officers' rows, on the main connection), one copy with the switch off and one with the default: the
 * codings and every aggregate table (AGGREGATE_TABLES) are the same on both, and equal a rebuild. On the main
 * connection the recode's writes to answer_theme and answer are seen to run once a chunk (default) or once a row
 * (off). PostgreSQL has its own coder (store-pg.ts): the switch changes nothing there (checked the same way).
 */
import BetterSqlite from 'better-sqlite3';
import { expect, it } from 'vitest';
import { describeEachEngine } from './helpers/databases';
import { codeOffAndOn, switchCopies } from './helpers/coding-switch-copies';

const SWITCH = 'CODING_SQLITE_TRIGGERED_SET';

/**
 * Counts better-sqlite3 runs on this thread of the writes to the two tables with row triggers, by kind: `row` (a
 * statement run once per row: `values (?` into answer_theme, `where answer_id = ?` / `where id = ?`) or `set` (one
 * statement a chunk reading its rows from json_each), while `work` runs.
 */
async function triggeredRuns<T>(work: () => Promise<T>): Promise<{ result: T; runs: Map<string, number> }> {
	const probe = new BetterSqlite(':memory:');
	const proto = Object.getPrototypeOf(probe.prepare('select 1')) as { run: (...a: unknown[]) => unknown };
	probe.close();
	const original = proto.run;
	const runs = new Map<string, number>();
	const count = (k: string) => runs.set(k, (runs.get(k) ?? 0) + 1);
	proto.run = function (this: { source: string }, ...args: unknown[]) {
		const s = this.source.replace(/\s+/g, ' ');
		const kind = /json_each\(\?\)/.test(s) ? 'set' : 'row';
		if (/^insert into answer_theme /.test(s)) count(`${kind} insert answer_theme`);
		else if (/^delete from answer_theme /.test(s)) count(`${kind} delete answer_theme`);
		else if (/^update answer_theme set confidence = null /.test(s)) count(`${kind} clear answer_theme`);
		else if (/^update answer set coded_at = \?/.test(s)) count(`${kind} coded_at`);
		return original.apply(this, args);
	};
	try {
		return { result: await work(), runs };
	} finally {
		proto.run = original;
	}
}

describeEachEngine(
	'coding chunks: the triggered tables written a statement a chunk (CODING_SQLITE_TRIGGERED_SET)',
	(engine) => {
		const copies = switchCopies(engine, SWITCH, 39);

		it('codes anew and recodes with the switch off and on: the same codings and aggregates, equal to a rebuild', async () => {
			const [off, on] = await codeOffAndOn(copies, SWITCH, triggeredRuns);
			if (engine === 'sqlite') {
				// Off: once per row (the chunk's 80 answers' coded_at, its new codings, its dropped ones).
				expect(off.runs.get('row coded_at')).toBe(80);
				expect(off.runs.get('row insert answer_theme') ?? 0).toBeGreaterThan(1);
				expect(off.runs.get('row delete answer_theme') ?? 0).toBeGreaterThan(1);
				expect([...off.runs.keys()].filter((k) => k.startsWith('set'))).toEqual([]);
				// On: one statement each, none per row.
				expect(Object.fromEntries(on.runs)).toEqual({
					'set coded_at': 1,
					'set insert answer_theme': 1,
					'set delete answer_theme': 1,
					...(on.runs.has('set clear answer_theme') ? { 'set clear answer_theme': 1 } : {})
				});
			} else {
				// PostgreSQL: no better-sqlite3 statement at all.
				expect(off.runs.size).toBe(0);
				expect(on.runs.size).toBe(0);
			}
		}, 600_000);
	}
);
