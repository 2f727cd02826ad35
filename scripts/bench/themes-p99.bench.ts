// npm run bench -- themes-p99: survey submission latency while the app trains a coder on 4,689
// coded answers (the NHS training file) in its engine worker thread, against idle (target: p99
// during training within 2x of idle). A private copy of the built server on loopback; submissions
// through the JSON endpoint, a few at a time, one after another on each connection.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { ensureBuild } from '../lib/build';
import { startCopiedServer, type RunningServer } from '../../tests/helpers/server';
import { openPrepared } from '../../src/lib/server/bootstrap';
import { getConsultation } from '../../src/lib/server/consultations/queries';
import { saveSubmission } from '../../src/lib/server/submissions/save';
import { parseCodebook, parseCodedCsv } from '../../src/lib/themes/index';
import { loadAverage, percentile, SLUG, submissionLoad, type LoadResult } from './lib/submissions';

const NHS = path.join('..', 'shared', 'data', 'nhs-feedback');
const IDLE_SECONDS = Number(process.env.P99_IDLE_SECONDS ?? 20);
const CONNECTIONS = Number(process.env.P99_CONNECTIONS ?? 4);

/** q1's themes become the NHS codebook, and its 4,689 coded training answers are q1 answers an officer coded. */
async function prepare(file: string): Promise<number> {
	const nhsDir = fs.existsSync(NHS) ? NHS : path.join('/work', 'shared', 'data', 'nhs-feedback');
	const codebook = parseCodebook(fs.readFileSync(path.join(nhsDir, 'codebook.json'), 'utf8'));
	const coded = parseCodedCsv(
		fs.readFileSync(path.join(nhsDir, 'train.csv'), 'utf8'),
		'train.csv',
		new Set(codebook.themes.map((t) => t.id))
	);
	const open = await openPrepared({ kind: 'sqlite', path: file });
	try {
		const db = open.db;
		const c = (await getConsultation(db, SLUG))!;
		const q1 = c.questions.find((q) => q.key === 'q1')!.id;
		const now = new Date().toISOString();
		await db.updateTable('theme').set({ status: 'retired' }).where('question_id', '=', q1).execute();
		const themeId = new Map<string, number>();
		for (const [i, t] of codebook.themes.entries()) {
			const row = await db
				.insertInto('theme')
				.values({
					question_id: q1,
					code: `nhs-${t.id}`,
					label: t.label,
					description: t.description ?? null,
					keywords: JSON.stringify(t.keywords ?? []),
					position: 1000 + i,
					status: 'active',
					created_at: now,
					updated_at: now
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			themeId.set(t.id, row.id);
		}
		const sub = randomUUID();
		await saveSubmission(
			db,
			c,
			{
				id: sub,
				district: null,
				perspectives: [{ group: 'parent_carer', answers: { q2: 'template' } }],
				about: null
			} as never,
			{ channel: 'online' }
		);
		const user = await db
			.insertInto('app_user')
			.values({ email: 'bench@example.gov.uk', password_hash: 'x', role: 'officer', created_at: now, updated_at: now })
			.returning('id')
			.executeTakeFirstOrThrow();
		for (let i = 0; i < coded.length; i += 500) {
			await db.transaction().execute(async (tx) => {
				for (const [j, a] of coded.slice(i, i + 500).entries()) {
					const p = await tx
						.insertInto('perspective')
						.values({ submission_id: sub, group_code: 'parent_carer', position: 1 + i + j })
						.returning('id')
						.executeTakeFirstOrThrow();
					const ans = await tx
						.insertInto('answer')
						.values({
							submission_id: sub,
							perspective_id: p.id,
							question_id: q1,
							text: a.text,
							redacted_text: null,
							pii_kinds: null,
							text_deleted_at: null,
							coded_at: now,
							reviewed_at: now,
							reviewed_by: user.id,
							created_at: now,
							updated_at: now
						})
						.returning('id')
						.executeTakeFirstOrThrow();
					if (a.themes.length)
						await tx
							.insertInto('answer_theme')
							.values(
								a.themes.map((t) => ({
									answer_id: ans.id,
									theme_id: themeId.get(t)!,
									source: 'human' as const,
									applies: 1,
									confidence: null,
									user_id: user.id,
									updated_at: now
								}))
							)
							.execute();
				}
			});
		}
		// Everything already coded: the server has nothing to train at start-up.
		await db.updateTable('answer').set({ coded_at: now }).where('coded_at', 'is', null).execute();
		return coded.length;
	} finally {
		await open.close();
	}
}

/** The answers each load submission gives: q2 and q3 only, so the q1 coder stays idle until the trigger. */
const ANSWERS = { q2: 'Buses stop too early', q3: 'Cheaper activities' };

/** Closed-loop submissions on CONNECTIONS connections (the shared bench load), for `seconds` or until `until` settles. */
const load = (url: string, seconds: number, until?: Promise<unknown>) =>
	submissionLoad(url, { connections: CONNECTIONS, seconds, until, answers: ANSWERS });

const failed = (r: LoadResult) => (r.non2xx + r.errors ? `, ${r.non2xx + r.errors} failed` : '');
const summary = (xs: number[]) =>
	`${xs.length} submissions, p50 ${percentile(xs, 0.5).toFixed(0)} ms, p95 ${percentile(xs, 0.95).toFixed(0)} ms, p99 ${percentile(xs, 0.99).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms`;

export async function run(log: (line: string) => void): Promise<void> {
	ensureBuild(process.cwd(), log);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consult-p99-bench-'));
	const file = path.join(dir, 'app.sqlite');
	const buildCopy = path.join('node_modules', '.cache', `p99-bench-build-${process.pid}`);
	let server: RunningServer | null = null;
	try {
		const t0 = performance.now();
		const n = await prepare(file);
		log(
			`database: q1 = the NHS codebook with ${n.toLocaleString('en-GB')} officer-coded answers (prepared in ${((performance.now() - t0) / 1000).toFixed(1)} s); ${CONNECTIONS} connections, closed loop`
		);
		server = await startCopiedServer(buildCopy, {
			DATABASE_URL: `file:${file}`,
			SURVEY_RATE_LIMIT: '100000000',
			SURVEY_MAX_CONCURRENT: '100000',
			SURVEY_MAX_PER_SECOND: '100000000',
			SURVEY_MIN_SECONDS: '0',
			CODING_DELAY_MS: '500'
		});
		const url = `${server.url}/api/s/${SLUG}/submissions`;
		// warm-up: the first submissions also train the (codebook-only) coders of q2 and q3
		await load(url, 5);

		const idle = await load(url, IDLE_SECONDS);
		log(`idle (q2/q3 answers coded in the background as they arrive): ${summary(idle.latencies)}${failed(idle)}`);

		// One submission with a q1 answer: the background coder trains q1's coder on the 4,689 coded answers, in the worker.
		const reader = new Database(file, { readonly: true, fileMustExist: true });
		const triggerId = randomUUID();
		const trigger = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				id: triggerId,
				district: 'wychavon',
				perspectives: [{ group: 'young_person', answers: { ...ANSWERS, q1: 'Somewhere safe to meet friends' } }],
				about: { ageBand: '18-24' }
			})
		});
		if (!trigger.ok) throw new Error(`the q1 submission answered ${trigger.status}`);
		const startedAt = performance.now();
		const coded = () => {
			const row = reader
				.prepare(
					`select a.coded_at from answer a join question q on q.id = a.question_id where a.submission_id = ? and q.key = 'q1'`
				)
				.get(triggerId) as { coded_at: string | null } | undefined;
			return Boolean(row?.coded_at);
		};
		let trainingSeconds = NaN;
		const deadline = Date.now() + 300_000;
		let poll: NodeJS.Timeout | undefined;
		const trained = new Promise<void>((resolve) => {
			poll = setInterval(() => {
				if (coded() || Date.now() > deadline) {
					trainingSeconds = (performance.now() - startedAt) / 1000;
					resolve();
				}
			}, 250);
		});
		const busy = await load(url, 300, trained);
		clearInterval(poll);
		reader.close();
		if (Date.now() > deadline) log('  (gave up after 300 s: the q1 answer was not coded)');
		log(
			`during training (from the q1 submission until its answer was coded: ${trainingSeconds.toFixed(1)} s): ${summary(busy.latencies)}${failed(busy)}`
		);
		// Idle again after training, so a change in the machine's other load shows up as a difference between the two idle runs.
		const after = await load(url, IDLE_SECONDS);
		log(`idle again after training: ${summary(after.latencies)}${failed(after)}`);
		const both = [...idle.latencies, ...after.latencies];
		log(`idle, both runs: ${summary(both)}`);
		const ratio = percentile(busy.latencies, 0.99) / percentile(both, 0.99);
		log(
			`p99 during training / idle (both runs): ${ratio.toFixed(2)}x; target <= 2x: ${ratio <= 2 ? 'met' : 'NOT met'} (load average ${loadAverage()})`
		);
	} finally {
		await server?.stop();
		fs.rmSync(dir, { recursive: true, force: true });
		fs.rmSync(buildCopy, { recursive: true, force: true });
	}
}
