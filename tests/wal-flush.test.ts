import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { groupFlusher } from '../src/lib/server/db/wal-flush';
import { openDatabase, type OpenDb } from '../src/lib/server/db/connect';

describe('group flushing of the write-ahead log', () => {
	it('answers each flush only after a sync that started after it was asked for, sharing syncs asked for together', async () => {
		const started: number[] = [];
		const finish: (() => void)[] = [];
		const flush = groupFlusher(
			() =>
				new Promise<void>((resolve) => {
					started.push(started.length);
					finish.push(resolve);
				})
		);
		const done: string[] = [];
		const a = flush().then(() => done.push('a'));
		const b = flush().then(() => done.push('b')); // while a's sync runs: b's write may have missed it
		const c = flush().then(() => done.push('c'));
		expect(started).toHaveLength(1);
		finish[0]();
		await a;
		expect(done).toEqual(['a']);
		await new Promise((r) => setImmediate(r));
		expect(started).toHaveLength(2); // one more sync, for b and c together
		finish[1]();
		await Promise.all([b, c]);
		expect(done).toEqual(['a', 'b', 'c']);
	});

	it('passes a failed sync to its callers, and the next flush tries again', async () => {
		let fail = true;
		const flush = groupFlusher(async () => {
			if (fail) throw new Error('disk gone');
		});
		await expect(flush()).rejects.toThrow('disk gone');
		fail = false;
		await expect(flush()).resolves.toBeUndefined();
	});
});

describe('SQLite writes are acknowledged only once the log is synced (SQLITE_FLUSH=background, the default)', () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consult-wal-'));
	const file = path.join(dir, 'db.sqlite');
	let open: OpenDb;
	afterAll(async () => {
		await open?.close();
		fs.rmSync(dir, { recursive: true, force: true });
	});

	it('syncs after a write, not after a read, and a write whose log cannot be synced is not acknowledged', async () => {
		open = await openDatabase({ kind: 'sqlite', path: file });
		await sql`create table t (x text)`.execute(open.db); // a schema change: no rows changed, no sync
		expect(fs.existsSync(`${file}-wal`)).toBe(true);
		// Take the log's name away (SQLite keeps writing to the file it has open): the first sync, by name, fails.
		fs.renameSync(`${file}-wal`, `${file}-wal.moved`);
		try {
			await expect(sql`select count(*) as n from t`.execute(open.db)).resolves.toMatchObject({ rows: [{ n: 0 }] });
			await expect(sql`insert into t values ('a')`.execute(open.db)).rejects.toThrow(/ENOENT/);
			await expect(open.db.transaction().execute((tx) => sql`insert into t values ('b')`.execute(tx))).rejects.toThrow(
				/ENOENT/
			);
		} finally {
			fs.renameSync(`${file}-wal.moved`, `${file}-wal`);
		}
		await sql`insert into t values ('c')`.execute(open.db);
		await open.db.transaction().execute((tx) => sql`insert into t values ('d')`.execute(tx));
		// 'a' and 'b' were committed, only not known to be on disk: like a reply lost after a commit (a survey resends
		// by its UUID and is answered as a replay).
		await expect(sql`select count(*) as n from t`.execute(open.db)).resolves.toMatchObject({ rows: [{ n: 4 }] });
	});
});
