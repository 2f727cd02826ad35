// npm run bench -- instances: the survey on PostgreSQL with one and with two app instances (issue 18).
// Needs a PostgreSQL server: TEST_DATABASE_URL (a throwaway database is made on it and dropped after).
// 1. Submissions per second through POST /api/s/<slug>/submissions: one instance (10 connections), then two
//    instances at once (10 connections each), with the SQLite floor server in the same run for scale.
// 2. p99 of submissions on instance A (4 connections) idle, while instance B recodes a question of RECODE_ANSWERS
//    answers (a coding_job row, claimed by B: A is started with its background coding idle), and while B commits
//    an import (IMPORT_ROWS, 5,000 by default). Target: p99 within 2x of idle.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBuild } from '../lib/build';
import { startProductionBuild, type RunningServer } from '../lib/server';
import { createThrowawayDatabase, postgresReachable, type ThrowawayDatabase } from '../lib/throwaway-db';
import { commitImport, importCsv, openPreview, signIn, uploadImport } from '../../tests/helpers/officer';
import {
	describeLoad,
	loadAverage,
	measuredLoad,
	SLUG,
	startFloor,
	submissionLoad,
	warmUp,
	submissionsUrl,
	type LoadResult
} from './lib/submissions';
import { describeWaits, sampleWaits } from './lib/pg-waits';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RECODE_ANSWERS = Number(process.env.RECODE_ANSWERS ?? 20_000);
// 5,000 rows (the uploads bench uses 20,000 on SQLite): at load average 29 a 20,000-row preview on PostgreSQL took over 300 s.
const IMPORT_ROWS = Number(process.env.IMPORT_ROWS ?? 5_000);
const WORDS = ['buses', 'parks', 'youth club', 'safe streets', 'cheaper activities', 'sport', 'mental health', 'jobs'];

/** Migrates, loads the consultation, adds an officer and RECODE_ANSWERS q1 answers (already coded). */
async function prepare(url: string): Promise<{ consultationId: number; q1: number }> {
	const { openDatabase } = await import('../../src/lib/server/db/connect');
	const { prepareDatabase } = await import('../../src/lib/server/bootstrap');
	const { createUser } = await import('../../src/lib/server/users/index');
	const { randomUUID } = await import('node:crypto');
	const { equalityColumns } = await import('../../src/lib/server/submissions/save');
	const { getConsultation } = await import('../../src/lib/server/consultations/queries');
	const open = await openDatabase({ kind: 'postgres', url });
	try {
		await prepareDatabase(open);
		const db = open.db;
		await createUser(db, { email: 'officer@bench.test', role: 'officer', password: 'officer-password-1' }, null);
		const c = (await getConsultation(db, SLUG))!;
		const q1 = c.questions.find((q) => q.key === 'q1')!.id;
		const now = new Date().toISOString();
		for (let i = 0; i < RECODE_ANSWERS; i += 1000) {
			const n = Math.min(1000, RECODE_ANSWERS - i);
			await db.transaction().execute(async (tx) => {
				const subs = Array.from({ length: n }, (_, j) => ({
					id: randomUUID(),
					consultation_id: c.id,
					reference: `BENCH-${String(i + j).padStart(6, '0')}`,
					channel: 'online' as const,
					district_code: 'wychavon',
					collection_session_id: null,
					location_id: null,
					entered_by: null,
					is_demo: 0,
					...equalityColumns({ about: null } as never, 'import'),
					created_at: now,
					updated_at: now
				}));
				await tx.insertInto('submission').values(subs).execute();
				const ps = await tx
					.insertInto('perspective')
					.values(subs.map((s) => ({ submission_id: s.id, group_code: 'young_person', position: 0 })))
					.returning(['id', 'submission_id'])
					.execute();
				await tx
					.insertInto('answer')
					.values(
						ps.map((p, j) => {
							const text = `More ${WORDS[(i + j) % WORDS.length]} and ${WORDS[(i + j * 7) % WORDS.length]} near answer ${i + j}`;
							return {
								submission_id: p.submission_id,
								perspective_id: p.id,
								question_id: q1,
								text,
								redacted_text: text,
								pii_kinds: null,
								text_deleted_at: null,
								coded_at: now,
								reviewed_at: null,
								reviewed_by: null,
								created_at: now,
								updated_at: now
							};
						})
					)
					.execute();
			});
		}
		return { consultationId: c.id, q1 };
	} finally {
		await open.close();
	}
}

export async function run(log: (line: string) => void): Promise<void> {
	const pgUrl = process.env.TEST_DATABASE_URL;
	const unreachable = pgUrl ? await postgresReachable(pgUrl) : 'TEST_DATABASE_URL is not set';
	if (unreachable) {
		log(`skipped: no PostgreSQL (${unreachable})`);
		return;
	}
	ensureBuild(process.cwd(), log);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consult-instances-bench-'));
	const copy = path.join('node_modules', '.cache', `instances-bench-build-${process.pid}`);
	let made: ThrowawayDatabase | null = null;
	let a: RunningServer | null = null;
	let b: RunningServer | null = null;
	let floor: Awaited<ReturnType<typeof startFloor>> | null = null;
	try {
		made = await createThrowawayDatabase('postgres', pgUrl, process.env.BENCH_PG_PREFIX ?? 'consult_bench');
		const db = made;
		const t0 = performance.now();
		const { consultationId, q1 } = await prepare(db.url);
		// The A/B switch of issue #18's flush at COMMIT (coding/store-pg.ts, import/flush.ts), inherited by A and B.
		log(`AGGREGATE_FLUSH=${process.env.AGGREGATE_FLUSH ?? 'unset (on)'}; load average ${loadAverage()}`);
		log(
			`PostgreSQL database prepared in ${((performance.now() - t0) / 1000).toFixed(1)} s (q1 holds ${RECODE_ANSWERS.toLocaleString('en-GB')} coded answers)`
		);
		const env = {
			DATABASE_URL: db.url,
			BODY_SIZE_LIMIT: '25M',
			SURVEY_RATE_LIMIT: '100000000',
			SURVEY_MAX_CONCURRENT: '100000',
			SURVEY_MAX_PER_SECOND: '100000000',
			SURVEY_MIN_SECONDS: '0'
		};
		// B does the background work; A's coding only polls every 10 minutes and codes its new answers after as long,
		// so that the recode below is B's (which instance claimed it is checked and printed).
		// Both as production runs them (scripts/serve-built.ts: the body gate and the lean submissions route).
		fs.cpSync('build', copy, { recursive: true });
		a = await startProductionBuild(path.join(copy, 'index.js'), {
			...env,
			CODING_POLL_MS: '600000',
			CODING_DELAY_MS: '600000'
		});
		b = await startProductionBuild(path.join(copy, 'index.js'), { ...env, CODING_POLL_MS: '200' });
		const A = a;
		const B = b;

		// 1. Throughput, one instance then two, and the floor in the same run.
		await Promise.all([warmUp(submissionsUrl(A.url)), warmUp(submissionsUrl(B.url))]);
		// What PostgreSQL's sessions do meanwhile (on CPU, waiting for a lock or for the app): printed with each phase.
		const waits = async <T>(work: () => Promise<T>): Promise<[T, string[]]> => {
			const sampler = await sampleWaits(db.url);
			try {
				const r = await work();
				return [r, describeWaits(await sampler.stop())];
			} catch (e) {
				await sampler.stop();
				throw e;
			}
		};
		const [one, oneWaits] = await waits(() =>
			measuredLoad(submissionsUrl(A.url), A.process.pid!, { seconds: SECONDS })
		);
		const [[twoA, twoB], twoWaits] = await waits(() =>
			Promise.all([
				submissionLoad(submissionsUrl(A.url), { seconds: SECONDS }),
				submissionLoad(submissionsUrl(B.url), { seconds: SECONDS })
			])
		);
		floor = await startFloor(dir);
		const base = await measuredLoad(floor.url, floor.child.pid!, { seconds: SECONDS });
		log(`Submissions per second on PostgreSQL, ${SECONDS} s each, 10 connections per instance, a new UUID each:`);
		log(`  one instance: ${describeLoad(one)}; ${one.cpuMsPerRequest.toFixed(2)} ms CPU per submission`);
		for (const l of oneWaits) log(`    ${l}`);
		log(`  two instances: ${(twoA.rps + twoB.rps).toFixed(0)} req/s together`);
		log(`    A ${describeLoad(twoA)}`);
		log(`    B ${describeLoad(twoB)}`);
		for (const l of twoWaits) log(`    ${l}`);
		log(
			`  SQLite floor (node:http + better-sqlite3, one insert, synchronous=FULL), same run: ${describeLoad(base)}; ${base.cpuMsPerRequest.toFixed(2)} ms CPU per request`
		);
		log(
			`  ratio to the floor: one instance ${(one.rps / base.rps).toFixed(2)}, two ${((twoA.rps + twoB.rps) / base.rps).toFixed(2)}`
		);
		await floor.stop();
		floor = null;

		// 2. p99 on A: idle, while B recodes q1, while B commits an import.
		const p99Load = (until?: Promise<unknown>) =>
			submissionLoad(submissionsUrl(A.url), {
				connections: 4,
				seconds: until ? 600 : SECONDS,
				until,
				answers: { q2: 'Buses stop too early', q3: 'Cheaper activities' }
			});
		const [idle, idleWaits] = await waits(() => p99Load());
		const { openDatabase } = await import('../../src/lib/server/db/connect');
		const watcher = await openDatabase({ kind: 'postgres', url: db.url });
		let recode: LoadResult;
		let recodeWaits: string[] = [];
		let claimedBy = '';
		let recodeMs = 0;
		let finished = true;
		try {
			const jobKey = `question:${q1}`;
			await watcher.db
				.insertInto('coding_job')
				.values({ job_key: jobKey, kind: 'question', question_id: q1 })
				.execute();
			const started = performance.now();
			const done = (async () => {
				const deadline = Date.now() + 600_000;
				while (Date.now() < deadline) {
					const row = await watcher.db
						.selectFrom('coding_job')
						.select('claimed_by')
						.where('job_key', '=', jobKey)
						.executeTakeFirst();
					if (!row) return;
					if (row.claimed_by) claimedBy = row.claimed_by;
					await new Promise((r) => setTimeout(r, 100));
				}
				finished = false;
			})().finally(() => (recodeMs = performance.now() - started));
			[recode, recodeWaits] = await waits(() => p99Load(done));
			await done;
		} finally {
			await watcher.close();
		}
		const byB = claimedBy.split(':')[1] === String(B.process.pid);
		const cookie = await signIn(B.url, 'officer@bench.test', 'officer-password-1');
		const up = await uploadImport(B.url, cookie, consultationId, 'big.csv', importCsv(IMPORT_ROWS));
		if (up.status !== 303 || !up.location)
			throw new Error(`the ${IMPORT_ROWS}-row file was not accepted: ${up.status}`);
		await openPreview(B.url, cookie, up.location);
		const commit = commitImport(B.url, cookie, up.location);
		const [during, duringWaits] = await waits(() => p99Load(commit));
		const committed = await commit.catch((e) => {
			// The server's log says why (the error's name and database code).
			log(`  the import failed; instance B's log ends:\n${B.output().slice(-1500)}`);
			throw e;
		});
		const ratio = (r: LoadResult) => (r.p99 / Math.max(1, idle.p99)).toFixed(2);
		log(`p99 of submissions on instance A (4 connections), target within 2x of idle:`);
		log(`  idle: ${describeLoad(idle)}`);
		for (const l of idleWaits) log(`    ${l}`);
		log(
			`  while ${byB ? 'B' : `NOT B (claimed by ${claimedBy || 'nobody seen'})`} recoded q1 (${RECODE_ANSWERS.toLocaleString('en-GB')} answers, ${(recodeMs / 1000).toFixed(1)} s${finished ? '' : ', NOT finished: stopped waiting after 10 minutes'}): ${describeLoad(recode)}; ${ratio(recode)}x idle`
		);
		for (const l of recodeWaits) log(`    ${l}`);
		log(
			`  while B committed a ${IMPORT_ROWS.toLocaleString('en-GB')}-row import (${(committed.ms / 1000).toFixed(1)} s, ${committed.location}): ${describeLoad(during)}; ${ratio(during)}x idle`
		);
		for (const l of duringWaits) log(`    ${l}`);
		log(`  (load average at the end ${loadAverage()})`);
	} finally {
		await floor?.stop();
		for (const s of [a, b])
			if (s && s.process.exitCode !== null) log(`  a server stopped early:\n${s.output().slice(-2000)}`);
		await Promise.all([a?.stop(), b?.stop()]);
		await made?.drop().catch(() => {});
		fs.rmSync(dir, { recursive: true, force: true });
		fs.rmSync(copy, { recursive: true, force: true });
	}
}
