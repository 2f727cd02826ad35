/**
 * What Kysely adds to each SQLite statement inside a transaction: tx.executeQuery of a one-row select against the
 * same compiled query on the connection Kysely provides (better-sqlite3 underneath either way), CPU per statement.
 * Usage: tsx scripts/bench/lib/statement-overhead.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CompiledQuery } from 'kysely';
import { openPrepared } from '../../../src/lib/server/bootstrap';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lean23-'));
const open = await openPrepared({ kind: 'sqlite', path: path.join(dir, 'x.sqlite') });
const db = open.db;
const q = CompiledQuery.raw('select version from data_version where id = ?', [1]);
for (let round = 0; round < 3; round++) {
	const n = 20000;
	let t = process.cpuUsage();
	await db.transaction().execute(async (tx) => {
		for (let i = 0; i < n; i++) await tx.executeQuery(q);
	});
	let u = process.cpuUsage(t);
	console.log('kysely tx.executeQuery', ((u.user + u.system) / n).toFixed(2), 'us/stmt');
	t = process.cpuUsage();
	await db.transaction().execute(async (tx) => {
		await tx.getExecutor().provideConnection(async (c) => {
			for (let i = 0; i < n; i++) await c.executeQuery(q);
		});
	});
	u = process.cpuUsage(t);
	console.log('one connection, executeQuery', ((u.user + u.system) / n).toFixed(2), 'us/stmt');
}
await open.close();
fs.rmSync(dir, { recursive: true, force: true });
process.exit(0);
