/**
 * SQLite's bulk coder updates an engine row the chunk's verdicts re-score (same answer and theme, another confidence)
 * where it stands, and its quote-order row with it (src/lib/server/coding/store-sqlite.ts `inPlace`, issue #19, helper
 * code40), where it dropped the row and inserted it again (`CODING_SQLITE_IN_PLACE=off`, the before). Nothing counted
 * may change: two copies of the same generated answers are coded anew and recoded by a chunk mixing kept, dropped,
 * re-scored and new engine rows beside officers' rows (tests/helpers/coding-switch-copies.ts), then coded again over
 * engine rows of other confidences (as the bench codes the generator's keyword rows), one copy with the switch off and
 * one with the default: the codings and every aggregate table are the same on both, and equal a rebuild. On the main
 * connection the recode's re-scored rows are seen to be updated (default) or dropped and inserted (off). PostgreSQL
 * has its own coder (store-pg.ts): the switch changes nothing there (checked the same way).
 */
import BetterSqlite from 'better-sqlite3';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachEngine } from './helpers/databases';
import {
	codeOffAndOn,
	expectTablesEqual,
	keptEqualsRebuild,
	switchCopies,
	withoutIds
} from './helpers/coding-switch-copies';
import { withEnv } from './helpers/env';
import { rebuildAggregates } from '../src/lib/server/analysis/aggregates';
import { codeUncoded } from '../src/lib/server/coding/recode';
import type { Db } from '../src/lib/server/db/connect';

const SWITCH = 'CODING_SQLITE_IN_PLACE';

/** Counts better-sqlite3 runs on this thread of the statements that write re-scored rows, by kind, while `work` runs. */
async function rescoreRuns<T>(work: () => Promise<T>): Promise<{ result: T; runs: Map<string, number> }> {
	const probe = new BetterSqlite(':memory:');
	const proto = Object.getPrototypeOf(probe.prepare('select 1')) as { run: (...a: unknown[]) => unknown };
	probe.close();
	const original = proto.run;
	const runs = new Map<string, number>();
	const count = (k: string) => runs.set(k, (runs.get(k) ?? 0) + 1);
	proto.run = function (this: { source: string }, ...args: unknown[]) {
		const s = this.source.replace(/\s+/g, ' ');
		if (/^update answer_theme set confidence = j\.c/.test(s)) count('rescore answer_theme');
		else if (/^update answer_theme set source = 'auto', applies = 1/.test(s)) count('replace answer_theme');
		else if (/^update analysis_agg_quote_order set .* and group_code = \? and source = 'auto'$/.test(s.trim()))
			count('rescore quote order');
		else if (/^insert into analysis_agg_quote_order .* on conflict/.test(s)) count('upsert quote order');
		else if (/^delete from answer_theme /.test(s)) count('delete answer_theme');
		else if (/^delete from analysis_agg_quote_order /.test(s)) count('delete quote order');
		return original.apply(this, args);
	};
	try {
		return { result: await work(), runs };
	} finally {
		proto.run = original;
	}
}

/** The codings with their users, ordered. */
const codingRows = (db: Db) =>
	db
		.selectFrom('answer_theme')
		.select(['answer_id', 'theme_id', 'source', 'applies', 'confidence', 'user_id'])
		.orderBy('answer_id')
		.orderBy('theme_id')
		.execute();

describeEachEngine('coding chunks: re-scored engine rows updated in place (CODING_SQLITE_IN_PLACE)', (engine) => {
	const copies = switchCopies(engine, SWITCH, 40);

	it('codes anew and recodes with the switch off and on: the same codings and aggregates, equal to a rebuild', async () => {
		const [off, on] = await codeOffAndOn(copies, SWITCH, rescoreRuns);
		if (engine === 'sqlite') {
			// Off: the re-scored rows dropped and inserted again; on: updated (answer_theme one statement, the quote
			// order a row each), fewer rows deleted.
			expect(off.runs.get('rescore answer_theme') ?? 0).toBe(0);
			expect(off.runs.get('rescore quote order') ?? 0).toBe(0);
			expect(on.runs.get('rescore answer_theme')).toBe(1);
			expect(on.runs.get('rescore quote order') ?? 0).toBeGreaterThan(10);
			expect(on.runs.get('delete quote order') ?? 0).toBeLessThan(off.runs.get('delete quote order') ?? 0);
		} else {
			expect(off.runs.size).toBe(0);
			expect(on.runs.size).toBe(0);
		}
	}, 600_000);

	it('codes again over engine rows of other confidences: the same codings and aggregates, equal to a rebuild', async () => {
		const results: { codings: unknown; snapshot: Record<string, Record<string, unknown>[]> }[] = [];
		for (const [f, mode] of [
			[copies[0], 'off'],
			[copies[1], undefined]
		] as const) {
			const db = f.db;
			// As the bench finds the generated answers: engine rows another coder scored (here a confidence of the
			// answer's id, some not applying), no answer coded yet.
			await sql`update answer_theme set confidence = ((answer_id * 37) % 1000) / 1000.0
				where source = 'auto'`.execute(db);
			await sql`update answer_theme set applies = 0 where source = 'auto' and answer_id % 11 = 0`.execute(db);
			await db.updateTable('answer').set({ coded_at: null }).where('text', 'is not', null).execute();
			await rebuildAggregates(db);
			const before = await codingRows(db);
			const n = await withEnv(SWITCH, mode, () => codeUncoded(db));
			expect(n).toBeGreaterThan(800);
			const snapshot = withoutIds(await keptEqualsRebuild(db, `coded again, ${SWITCH}=${mode ?? 'on'}`));
			const codings = await codingRows(db);
			expect(codings).not.toEqual(before);
			results.push({ codings, snapshot });
		}
		expect(results[1].codings).toEqual(results[0].codings);
		expectTablesEqual(results[1].snapshot, results[0].snapshot, 'coded again, on against off');
	}, 600_000);
});
