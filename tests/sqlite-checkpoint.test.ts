import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDatabase, type OpenDb } from '../src/lib/server/db/connect';
import { backgroundCheckpointer } from '../src/lib/server/db/checkpointer';
import { until } from './helpers/wait';

/**
 * The log's state as SQLite's shared-memory index holds it, read without taking part (a checkpoint of our own
 * would change what we measure): mxFrame, the last committed frame (WalIndexHdr at offset 0, field at 16), and
 * nBackfill, the frames already copied into the database file (WalCkptInfo at offset 96). Native byte order.
 */
function logState(file: string): { frames: number; backfilled: number } {
	const shm = fs.readFileSync(`${file}-shm`);
	return { frames: shm.readUInt32LE(16), backfilled: shm.readUInt32LE(96) };
}

describe('SQLite checkpoints run in a worker thread, not in the server’s commits (SQLITE_FLUSH=background)', () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consult-ckpt-'));
	const file = path.join(dir, 'db.sqlite');
	let open: OpenDb | null = null;
	afterAll(async () => {
		await open?.close();
		fs.rmSync(dir, { recursive: true, force: true });
	});

	it('copies committed pages into the database after a write, and the next write starts the log over', async () => {
		open = await openDatabase({ kind: 'sqlite', path: file });
		const db = open.db;
		await sql`create table t (id integer primary key, body text)`.execute(db);
		// About 2,000 pages in one commit: below the backstop (10,000 pages), so only the worker checkpoints it.
		const body = 'x'.repeat(3000);
		await db.transaction().execute(async (tx) => {
			for (let i = 0; i < 2000; i++) await sql`insert into t (body) values (${body})`.execute(tx);
		});
		const written = logState(file).frames;
		expect(written).toBeGreaterThan(1500);
		await until(() => logState(file).backfilled === logState(file).frames, 'the worker has checkpointed the log');

		// Fully checkpointed: the next commit writes from the start of the log instead of growing it.
		await db.transaction().execute((tx) => sql`insert into t (body) values ('after')`.execute(tx));
		expect(logState(file).frames).toBeLessThan(50);
		expect(logState(file).backfilled).toBe(0);

		const row = await sql<{ n: number }>`select count(*) as n from t`.execute(db);
		expect(row.rows[0].n).toBe(2001);
	});

	it('leaves every row in the database file and no log behind when it closes', async () => {
		await open!.close();
		open = null;
		expect(fs.existsSync(`${file}-wal`)).toBe(false);
		open = await openDatabase({ kind: 'sqlite', path: file });
		const row = await sql<{ n: number }>`select count(*) as n from t`.execute(open.db);
		expect(row.rows[0].n).toBe(2001);
	});

	it('never leaves a writer waiting on a worker that could not start (SQLite’s own backstop then checkpoints)', async () => {
		const broken = backgroundCheckpointer(path.join(dir, 'missing', 'no.sqlite'));
		await expect(broken.checkpoint()).rejects.toThrow();
		broken.afterWrite();
		await expect(broken.idle()).resolves.toBeUndefined();
		await expect(broken.checkpoint()).rejects.toThrow();
		await broken.close();
	});
});
