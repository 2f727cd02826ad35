/**
 * The kept aggregates as a test compares them: every table of AGGREGATE_TABLES (the list the rebuild recomputes),
 * keyed by table name, and the stored sets, so that the tables after a sequence of writes can be compared whole
 * with what a rebuild from scratch gives.
 */
import { expect } from 'vitest';
import { AGGREGATE_TABLES, rebuildAggregates } from '../../src/lib/server/analysis/aggregates';
import type { Db } from '../../src/lib/server/db/connect';

export type Row = Record<string, unknown>;

/**
 * Values other than text as numbers (the engines return counts as numbers or strings), rows sorted by their JSON text
 * (each row's text made once, not twice per comparison: a theme cube of tens of thousands of rows took seconds).
 */
export const comparableRows = (rows: Row[]) =>
	rows
		.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' ? v : Number(v)])))
		.map((r) => ({ r, key: JSON.stringify(r) }))
		.sort((a, b) => a.key.localeCompare(b.key))
		.map(({ r }) => r);

/** As comparableRows, rows that count nothing left out. */
const norm = (rows: Row[]) =>
	comparableRows(rows).filter((r) => r.n !== 0 || (r.coded ?? 0) !== 0 || (r.demo ?? 0) !== 0 || (r.n_read ?? 0) !== 0);

/**
 * Every aggregate table by name, without rows that count nothing (a trigger leaves a row at 0 where a rebuild has
 * none), and the sets themselves (a rebuild recomputes them from the perspectives and the answers): `sets` (each
 * submission's group and question set) and `perspectiveSets` (each perspective's question set).
 */
export async function aggregateSnapshot(db: Db): Promise<Record<string, Row[]>> {
	const out: Record<string, Row[]> = {};
	for (const t of AGGREGATE_TABLES) out[t] = norm(await db.selectFrom(t).selectAll().execute());
	out.sets = norm(await db.selectFrom('submission').select(['id', 'group_set', 'question_set']).execute());
	out.perspectiveSets = norm(await db.selectFrom('perspective').select(['id', 'question_set']).execute());
	return out;
}

/** The kept tables equal what a rebuild gives (`after` names the step in a failure); returns them. */
export async function expectRebuildUnchanged(db: Db, after = ''): Promise<Record<string, Row[]>> {
	const incremental = await aggregateSnapshot(db);
	await rebuildAggregates(db);
	expect(await aggregateSnapshot(db), after).toEqual(incremental);
	return incremental;
}
