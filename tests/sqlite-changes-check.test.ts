/**
 * SQLite's total_changes() is asked (to decide whether the log needs a sync) only after a statement that may write
 * (connect.ts, WriteMarker), not after every read: a page of reads used to ask it after each of its statements.
 * Writes must still be synced before their caller's query resolves, whichever way they reach the connection: a
 * `sql` template, CompiledQuery.raw, INSERT … RETURNING (better-sqlite3 calls it a reader), an UPDATE, a
 * transaction. (Kysely's controlled transactions do not await the connection's release after COMMIT, with or
 * without this change, so their commit resolves before its sync: the application uses none.) A sync is seen to happen when it fails: the log's datasync is made to throw, and the
 * write is then not acknowledged.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CompiledQuery, sql } from 'kysely';
import { openDatabase, type OpenDb } from '../src/lib/server/db/connect';
import { parseFilters } from '../src/lib/analysis/filters';
import { dashboardTables } from '../src/lib/server/analysis/registry';
import { demoLikeSuite } from './helpers/demo-like';
import { withEnv } from './helpers/env';

/** How many times a total_changes() statement prepared from here on has been run. */
let changesAsked = 0;
function countTotalChanges() {
	const prepare = Database.prototype.prepare;
	vi.spyOn(Database.prototype, 'prepare').mockImplementation(function (this: Database.Database, source: string) {
		const stmt = prepare.call(this, source);
		if (source === 'select total_changes()') {
			// total_changes() takes no parameters.
			const get = stmt.get.bind(stmt) as () => unknown;
			stmt.get = (() => {
				changesAsked++;
				return get();
			}) as typeof stmt.get;
		}
		return stmt;
	} as typeof prepare);
}

describe('SQLite: every kind of write is synced before it resolves, reads are not', () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consult-changes-'));
	const file = path.join(dir, 'db.sqlite');
	let open: OpenDb;
	afterAll(async () => {
		await open?.close();
		fs.rmSync(dir, { recursive: true, force: true });
	});

	it('fails each write whose log cannot be synced, and no read', async () => {
		open = await openDatabase({ kind: 'sqlite', path: file });
		const db = open.db;
		await sql`create table t (x text)`.execute(db);
		await sql`insert into t values ('first')`.execute(db); // the log is open for syncs from here on
		// Every file handle's datasync (the log's sync in wal-flush.ts) refused while this runs.
		const probe = await fsp.open(file, 'r');
		const handles = Object.getPrototypeOf(probe) as { datasync: () => Promise<void> };
		await probe.close();
		const refused = vi.spyOn(handles, 'datasync').mockRejectedValue(new Error('sync refused'));
		try {
			const read = () => sql<{ n: number }>`select count(*) as n from t`.execute(db);
			await expect(read()).resolves.toMatchObject({ rows: [{ n: 1 }] });
			await expect(sql`insert into t values ('template')`.execute(db)).rejects.toThrow(/sync refused/);
			await expect(read()).resolves.toBeTruthy();
			await expect(db.executeQuery(CompiledQuery.raw(`insert into t values ('raw')`))).rejects.toThrow(/sync refused/);
			await expect(read()).resolves.toBeTruthy();
			await expect(sql`insert into t values ('returning') returning x`.execute(db)).rejects.toThrow(/sync refused/);
			await expect(read()).resolves.toBeTruthy();
			await expect(sql`update t set x = x || '!' where x = 'first'`.execute(db)).rejects.toThrow(/sync refused/);
			await expect(
				db.transaction().execute(async (tx) => {
					await sql`select count(*) from t`.execute(tx);
					await tx.executeQuery(CompiledQuery.raw(`insert into t values ('transaction')`));
					await sql`select count(*) from t`.execute(tx);
				})
			).rejects.toThrow(/sync refused/);
			await expect(read()).resolves.toMatchObject({ rows: [{ n: 5 }] });
			// Five writes, five syncs; the reads (five, and the transaction's own) none.
			expect(refused).toHaveBeenCalledTimes(5);
		} finally {
			refused.mockRestore();
		}
		// A write that changes no row asks, but needs no sync; one that does is synced again.
		const synced = vi.spyOn(handles, 'datasync');
		await sql`delete from t where x = 'none'`.execute(db);
		expect(synced).toHaveBeenCalledTimes(0);
		await sql`insert into t values ('after')`.execute(db);
		expect(synced).toHaveBeenCalledTimes(1);
		synced.mockRestore();
		await expect(sql`select count(*) as n from t`.execute(db)).resolves.toMatchObject({ rows: [{ n: 6 }] });
	});
});

describe('SQLite: a page of reads asks total_changes() far fewer times', () => {
	beforeAll(() => countTotalChanges());
	afterAll(() => vi.restoreAllMocks());
	const data = demoLikeSuite('sqlite', { env: { ANALYSIS_CACHE: 'off' }, restore: ['SQLITE_CHANGES_CHECK'] });

	/** The total_changes() calls and statements of one dashboard page (its tables, as the page builds them). */
	async function page(qs: string): Promise<{ asked: number; json: string }> {
		const before = changesAsked;
		const tables = await dashboardTables(data.fresh.db, data.fx.c, parseFilters(new URLSearchParams(qs)), '/b');
		return { asked: changesAsked - before, json: JSON.stringify(tables) };
	}

	it('asks after a write only, with the same tables as when it asks after every statement', async () => {
		const qs = `group=${data.fx.c.groups[0].code}`;
		await page(qs); // warm: the first use of the connection asks, as before
		const every = await withEnv('SQLITE_CHANGES_CHECK', 'every', () => page(qs));
		const written = await withEnv('SQLITE_CHANGES_CHECK', undefined, () => page(qs));
		expect(every.asked).toBeGreaterThan(20);
		expect(written.asked).toBe(0);
		expect(written.json).toBe(every.json);
		// A write between two pages is asked about once, after it.
		const before = changesAsked;
		await sql`update consultation set slug = slug where id = ${data.fx.c.id}`.execute(data.fresh.db);
		expect(changesAsked - before).toBe(1);
		expect((await page(qs)).asked).toBe(0);
	}, 120_000);
});
