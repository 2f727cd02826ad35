import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	snapshotBuild,
	startServer,
	UNLIMITED_SURVEY_ENV,
	type BuildSnapshot,
	type RunningServer
} from './helpers/server';
import { until } from './helpers/wait';
import { openDatabase, type OpenDb } from '../src/lib/server/db/connect';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import { getConsultation } from '../src/lib/server/consultations/queries';
import { loadDemo } from '../src/lib/server/demo/load';
import { SLUG } from './helpers/consultation';
import { saveSubmission } from '../src/lib/server/submissions/save';
import { preparedDatabase, TEST_DATABASE_URL, type FreshDb } from './helpers/databases';

const appDir = process.env.CRASH_APP_DIR ?? process.cwd();

function submission(id: string) {
	return {
		id,
		district: 'wychavon',
		perspectives: [{ group: 'parent_carer', answers: { q2: `Backup test ${id}` } }],
		about: null
	};
}

function post(port: number, id: string): Promise<number | string> {
	const body = JSON.stringify(submission(id));
	return new Promise((resolve) => {
		const req = http.request(
			{
				host: '127.0.0.1',
				port,
				method: 'POST',
				path: `/api/s/${SLUG}/submissions`,
				agent: false,
				headers: {
					'content-type': 'application/json',
					'content-length': Buffer.byteLength(body),
					origin: `http://127.0.0.1:${port}`
				}
			},
			(res) => {
				res.resume();
				res.on('end', () => resolve(res.statusCode ?? 0));
			}
		);
		req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
		req.end(body);
	});
}

function run(cmd: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
	return new Promise((resolve) => {
		let out = '';
		const child = spawn(cmd, args, {
			cwd: process.cwd(),
			env: { ...process.env, ...env },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		child.stdout.on('data', (d) => (out += d));
		child.stderr.on('data', (d) => (out += d));
		child.on('exit', (code) => resolve({ code, out }));
	});
}

async function counts(db: OpenDb['db']) {
	const one = async (q: { execute(): Promise<{ n: number | string }[]> }) => Number((await q.execute())[0].n);
	return {
		submissions: await one(db.selectFrom('submission').select((eb) => eb.fn.countAll<number>().as('n'))),
		demo: await one(
			db
				.selectFrom('submission')
				.where('is_demo', '=', 1)
				.select((eb) => eb.fn.countAll<number>().as('n'))
		),
		perspectives: await one(db.selectFrom('perspective').select((eb) => eb.fn.countAll<number>().as('n'))),
		answers: await one(db.selectFrom('answer').select((eb) => eb.fn.countAll<number>().as('n'))),
		/** Submissions without any perspective: a torn copy would show some. */
		hollow: await one(
			db
				.selectFrom('submission')
				.where(({ not, exists, selectFrom }) =>
					not(
						exists(
							selectFrom('perspective')
								.whereRef('perspective.submission_id', '=', 'submission.id')
								.select('perspective.id')
						)
					)
				)
				.select((eb) => eb.fn.countAll<number>().as('n'))
		)
	};
}

/**
 * `npm run backup` copies the live SQLite file with SQLite's online backup while
 * the server keeps taking submissions; restoring is copying that file into place
 * and starting the server. The restored database must hold everything that was
 * acknowledged before the backup began, be internally whole, need no migration,
 * and take new submissions.
 */
describe('SQLite online backup and restore', () => {
	let fresh: FreshDb;
	let build: BuildSnapshot;
	let server: RunningServer | null = null;
	let demoCreated = 0;
	const backupDir = fs.mkdtempSync(path.join(os.tmpdir(), 'consult-backup-'));

	beforeAll(async () => {
		fresh = await preparedDatabase('sqlite');
		demoCreated = (await loadDemo(fresh.db)).created;
		await fresh.close();
		build = snapshotBuild(appDir);
	});
	afterAll(async () => {
		await server?.stop('SIGKILL', 5000);
		build?.cleanup();
		await fresh?.drop();
		fs.rmSync(backupDir, { recursive: true, force: true });
	});

	it(
		'backs up while the server writes, and the restored copy serves and holds every acknowledged submission',
		{ timeout: 90_000 },
		async () => {
			const file = fresh.url.slice('file:'.length);
			server = await startServer(build.entry, { ...UNLIMITED_SURVEY_ENV, DATABASE_URL: fresh.url }, { cwd: appDir });
			const port = server.port;

			// A writer: 20 clients posting submissions all through the backup.
			const acked: { id: string; at: number }[] = [];
			let writing = true;
			const writers = Array.from({ length: 20 }, async () => {
				while (writing) {
					const id = randomUUID();
					const status = await post(port, id);
					if (status === 201) acked.push({ id, at: performance.now() });
				}
			});
			await until(() => acked.length >= 30, '30 submissions are acknowledged');

			const target = path.join(backupDir, 'nightly', 'consult-backup.sqlite');
			const backupStarted = performance.now();
			const ackedBefore = acked.filter((a) => a.at < backupStarted).map((a) => a.id);
			const result = await run(process.execPath, ['--import', 'tsx', 'scripts/backup.ts', target], {
				DATABASE_URL: fresh.url
			});
			const backupEnded = performance.now();
			expect(result.code, result.out).toBe(0);
			expect(result.out).toContain(target);
			expect(result.out).toMatch(/\d+(\.\d)? (KB|MB|bytes)/);
			const ackedDuring = acked.filter((a) => a.at >= backupStarted && a.at <= backupEnded).length;

			// The same target again is refused rather than overwritten.
			const again = await run(process.execPath, ['--import', 'tsx', 'scripts/backup.ts', target], {
				DATABASE_URL: fresh.url
			});
			expect(again.code).toBe(1);
			expect(again.out).toMatch(/already exists/);

			const afterBackup = performance.now();
			await until(
				() => acked.filter((a) => a.at > afterBackup).length >= 10,
				'10 more are acknowledged after the backup'
			);
			writing = false;
			await Promise.all(writers);
			const ackedAfter = acked.filter((a) => a.at > backupEnded).map((a) => a.id);
			expect(await server.stop()).toEqual({ code: 0, signal: null });
			server = null;

			// Restore: stop the server (done), remove the old file with any -wal/-shm beside
			// it, copy the backup into place, start.
			for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
			fs.copyFileSync(target, file);

			const restored = await openDatabase({ kind: 'sqlite', path: file }, { create: false });
			try {
				expect(await migrateToLatest(restored.db), 'migrations pending on the restored copy').toEqual([]);
				const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(restored.db);
				expect(check.rows.map((r) => r.integrity_check)).toEqual(['ok']);
				const c = await counts(restored.db);
				expect(c.demo).toBe(demoCreated);
				expect(c.hollow, 'submissions without their perspectives').toBe(0);
				expect(c.submissions).toBeGreaterThanOrEqual(demoCreated + ackedBefore.length);
				const ids = new Set(
					// The ids the clients sent: a random one is kept in client_id under a time-ordered row id (lean50).
					(
						await restored.db
							.selectFrom('submission')
							.select((eb) => eb.fn.coalesce('client_id', 'id').as('id'))
							.where('is_demo', '=', 0)
							.execute()
					).map((r) => r.id)
				);
				expect(
					ackedBefore.filter((id) => !ids.has(id)),
					'acknowledged before the backup began but missing'
				).toEqual([]);
				// A snapshot: what was acknowledged after the backup ended is not in it.
				expect(ackedAfter.filter((id) => ids.has(id))).toEqual([]);
				expect((await getConsultation(restored.db, SLUG))?.questions.length).toBe(5);
			} finally {
				await restored.close();
			}

			server = await startServer(
				build.entry,
				{ ...UNLIMITED_SURVEY_ENV, DATABASE_URL: fresh.url },
				{ port, cwd: appDir }
			);
			expect(await post(port, randomUUID()), 'a new submission on the restored copy').toBe(201);
			expect(await post(port, ackedBefore[0]), 'a resend of a submission kept in the backup').toBe(200);
			const page = await fetch(`http://127.0.0.1:${port}/s/${SLUG}`);
			expect(page.status).toBe(200);
			await server.stop();
			server = null;
			console.log(
				`backup test: ${ackedBefore.length} acknowledged before, ${ackedDuring} during, ${ackedAfter.length} after the backup (${((backupEnded - backupStarted) / 1000).toFixed(1)} s incl. tsx start)`
			);
		}
	);
});

const hasPgTools =
	spawnSync('pg_dump', ['--version']).status === 0 && spawnSync('pg_restore', ['--version']).status === 0;

/** The documented PostgreSQL procedure: pg_dump -Fc while writes go on, pg_restore into a new database. */
describe.skipIf(!TEST_DATABASE_URL || !hasPgTools)('PostgreSQL pg_dump and pg_restore [postgres]', () => {
	let source: FreshDb;
	let restoredName = '';
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consult-pgdump-'));

	beforeAll(async () => {
		source = await preparedDatabase('postgres');
		await loadDemo(source.db);
	});
	afterAll(async () => {
		await source?.drop();
		if (restoredName) {
			const pgm = await import('pg');
			const c = new pgm.default.Client({ connectionString: TEST_DATABASE_URL });
			await c.connect();
			await c.query(`DROP DATABASE IF EXISTS ${restoredName} WITH (FORCE)`);
			await c.end();
		}
		fs.rmSync(dir, { recursive: true, force: true });
	});

	it(
		'dumps while a writer inserts, and the restored database holds the data and takes new submissions',
		{ timeout: 90_000 },
		async () => {
			const consultation = (await getConsultation(source.db, SLUG))!;
			const before = await counts(source.db);
			let writing = true;
			let written = 0;
			const writer = (async () => {
				while (writing) {
					await saveSubmission(source.db, consultation, submission(randomUUID()), { channel: 'online' });
					written++;
				}
			})();
			const dump = path.join(dir, 'consult.dump');
			const dumped = await run(
				'pg_dump',
				['--format=custom', '--no-owner', '--no-privileges', `--file=${dump}`, source.url],
				{}
			);
			writing = false;
			await writer;
			expect(dumped.code, dumped.out).toBe(0);
			expect(written).toBeGreaterThan(0);

			restoredName = `consult_r_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
			const created = await run('createdb', [`--maintenance-db=${TEST_DATABASE_URL}`, restoredName], {});
			expect(created.code, created.out).toBe(0);
			const target = new URL(TEST_DATABASE_URL!);
			target.pathname = `/${restoredName}`;
			const restoredRun = await run(
				'pg_restore',
				['--no-owner', '--no-privileges', '--exit-on-error', `--dbname=${target}`, dump],
				{}
			);
			expect(restoredRun.code, restoredRun.out).toBe(0);

			const restored = await openDatabase({ kind: 'postgres', url: target.toString() });
			try {
				expect(await migrateToLatest(restored.db)).toEqual([]);
				const c = await counts(restored.db);
				expect(c.demo).toBe(before.demo);
				expect(c.hollow).toBe(0);
				expect(c.submissions).toBeGreaterThanOrEqual(before.submissions);
				expect(c.submissions).toBeLessThanOrEqual(before.submissions + written);
				// Sequences came along: new rows get fresh ids rather than colliding.
				const view = (await getConsultation(restored.db, SLUG))!;
				const saved = await saveSubmission(restored.db, view, submission(randomUUID()), { channel: 'online' });
				expect(saved.status).toBe('created');
				expect((await counts(restored.db)).submissions).toBe(c.submissions + 1);
			} finally {
				await restored.close();
			}
		}
	);
});
