import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDatabase, type OpenDb } from '../src/lib/server/db/connect';
import {
	backgroundCheckpointer,
	checkpointersFor,
	checkpointIntervalMs,
	DEFAULT_CHECKPOINT_MS
} from '../src/lib/server/db/checkpointer';
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

		// Fully checkpointed: the next commit writes from the start of the log instead of growing it. No checkpoint
		// may start after it (on a loaded machine 200 ms have passed since the last, and one would copy its frame
		// before the log is read: "expected 1 to be +0"), so the spacing is made long for this write.
		const spacing = process.env.SQLITE_CHECKPOINT_MS;
		process.env.SQLITE_CHECKPOINT_MS = '600000';
		try {
			await db.transaction().execute((tx) => sql`insert into t (body) values ('after')`.execute(tx));
			expect(logState(file).frames).toBeLessThan(50);
			expect(logState(file).backfilled).toBe(0);
		} finally {
			if (spacing === undefined) delete process.env.SQLITE_CHECKPOINT_MS;
			else process.env.SQLITE_CHECKPOINT_MS = spacing;
		}

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

describe('SQLITE_CHECKPOINT_MS spaces the background checkpoints (read at each write)', () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consult-ckpt-ms-'));
	const file = path.join(dir, 'db.sqlite');
	const before = process.env.SQLITE_CHECKPOINT_MS;
	let open: OpenDb | null = null;
	afterAll(async () => {
		if (before === undefined) delete process.env.SQLITE_CHECKPOINT_MS;
		else process.env.SQLITE_CHECKPOINT_MS = before;
		await open?.close();
		fs.rmSync(dir, { recursive: true, force: true });
	});

	it('reads the spacing from the environment, 200 ms when unset or not a number', () => {
		expect(checkpointIntervalMs({})).toBe(DEFAULT_CHECKPOINT_MS);
		expect(DEFAULT_CHECKPOINT_MS).toBe(200);
		expect(checkpointIntervalMs({ SQLITE_CHECKPOINT_MS: '1000' })).toBe(1000);
		expect(checkpointIntervalMs({ SQLITE_CHECKPOINT_MS: '0' })).toBe(0);
		expect(checkpointIntervalMs({ SQLITE_CHECKPOINT_MS: 'soon' })).toBe(DEFAULT_CHECKPOINT_MS);
		expect(checkpointIntervalMs({ SQLITE_CHECKPOINT_MS: '-5' })).toBe(DEFAULT_CHECKPOINT_MS);
	});

	it('starts no checkpoint within the spacing after the last one, and one after each write with 0', async () => {
		open = await openDatabase({ kind: 'sqlite', path: file });
		const db = open.db;
		await sql`create table t (id integer primary key, body text)`.execute(db);
		const [checkpointer] = checkpointersFor(file);
		// Each write's checkpoint, if one is started, has started by the time the write is acknowledged (afterWrite
		// runs after the log's sync, before the caller goes on): idle() then waits for it to finish.
		const write = async () => {
			await db.transaction().execute((tx) => sql`insert into t (body) values (${'x'.repeat(500)})`.execute(tx));
			await checkpointer.idle();
			return logState(file);
		};
		process.env.SQLITE_CHECKPOINT_MS = '600000';
		const first = await write(); // the first write after opening: checkpointed
		expect(first.backfilled).toBe(first.frames);
		const second = await write(); // the log started over; within ten minutes of the last: no checkpoint
		expect(second.frames).toBeGreaterThan(0);
		expect(second.backfilled).toBe(0);
		const third = await write();
		expect(third.backfilled).toBe(0);

		process.env.SQLITE_CHECKPOINT_MS = '0';
		const fourth = await write(); // no spacing: this write's pages are copied at once
		expect(fourth.frames).toBeGreaterThan(0);
		expect(fourth.backfilled).toBe(fourth.frames);
	});
});
