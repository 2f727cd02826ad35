// SQLite with two processes on one file (a CLI command beside the server, a second
// instance): a transaction that reads and then writes must not fail because the other
// process committed in between. Kysely's plain BEGIN defers the write lock to the first
// write, and SQLite then answers "database is locked" at once (busy_timeout cannot wait
// out a stale snapshot); db/connect.ts begins with BEGIN IMMEDIATE so the other writer
// waits instead. The other process is a worker thread with its own connection.
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, expect, it, describe } from 'vitest';
import { sql } from 'kysely';
import { emptyDatabase, sqlitePath, type FreshDb } from './helpers/databases';

const require = createRequire(import.meta.url);

/** Runs one INSERT from another connection (busy_timeout 0, so it reports at once whether it could write). */
function writeFromOtherConnection(file: string): Promise<'written' | 'busy'> {
	const worker = new Worker(
		`const { parentPort, workerData } = require('node:worker_threads');
		 const Database = require(workerData.driver);
		 const db = new Database(workerData.file);
		 db.pragma('busy_timeout = 0');
		 try { db.prepare("insert into note (text) values ('other process')").run(); parentPort.postMessage('written'); }
		 catch (e) { parentPort.postMessage(e.code === 'SQLITE_BUSY' ? 'busy' : String(e)); }
		 finally { db.close(); }`,
		{ eval: true, workerData: { file, driver: require.resolve('better-sqlite3') } }
	);
	return new Promise((resolve, reject) => {
		worker.once('message', (m) => {
			void worker.terminate();
			if (m === 'written' || m === 'busy') resolve(m);
			else reject(new Error(m));
		});
		worker.once('error', reject);
	});
}

describe('SQLite transactions beside a second process', () => {
	let fresh: FreshDb;
	beforeAll(async () => {
		fresh = await emptyDatabase('sqlite');
		await sql`create table note (id integer primary key, text text not null)`.execute(fresh.db);
	});
	afterAll(() => fresh?.drop());

	it('a read-then-write transaction commits although another connection tried to write between', async () => {
		let other: 'written' | 'busy' | undefined;
		await fresh.db.transaction().execute(async (trx) => {
			const before = await sql<{ n: number }>`select count(*) as n from note`.execute(trx);
			other = await writeFromOtherConnection(sqlitePath(fresh));
			await sql`insert into note (text) values (${`after ${before.rows[0].n}`})`.execute(trx);
		});
		// The transaction held the write lock from its start, so the other connection had to wait (here: gave up at
		// once, as its busy_timeout is 0); with a deferred BEGIN it would have written and this commit would have failed.
		expect(other).toBe('busy');
		const rows = await sql<{ text: string }>`select text from note order by id`.execute(fresh.db);
		expect(rows.rows.map((r) => r.text)).toEqual(['after 0']);
	});
});
