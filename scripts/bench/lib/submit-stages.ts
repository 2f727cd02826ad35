/**
 * CPU per submission on the JSON endpoint's path, by stage, in-process (issue 18; no HTTP, no background coding):
 * batches of 10 submissions taken through the functions the endpoint uses, one stage at a time for the whole batch,
 * each stage's CPU read with process.cpuUsage (µs; all threads, so the grouped commit's log sync in the thread pool
 * counts under "store"). Stages: the consultation look-up, JSON.parse, validation (the schema and the
 * consultation's own checks), the limiter, each answer text cleaned and redacted, screened, its language detected,
 * the grouped commit (inserts, aggregates, flags, COMMIT, sync; the SQLite statements' own CPU shown apart), and
 * the reply (the endpoint's reply object and its JSON text). Then, as a check on the sum, the whole path as the lean
 * route runs it (submissionsPost in the request's language, 10 at a time through the writer), and its V8 profile
 * with PROFILE_OUT=file.cpuprofile (then: tsx scripts/bench/lib/cpuprofile-top.ts file.cpuprofile).
 * Variants are interleaved in one process, round by round: each is NAME:VAR=VALUE,… (the environment is set for
 * its rounds and put back after; switches read at use).
 * Usage: tsx scripts/bench/lib/submit-stages.ts [submissions per round = 3000] [rounds = 3] 'new:' 'old:SUBMIT_LEAN2=off'
 * STAGES_BODIES=varied: a varied set (safeguarding words, personal data, Welsh, several perspectives) instead of
 * the survey bench's body.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Session } from 'node:inspector/promises';
import Database from 'better-sqlite3';
import { openPrepared } from '../../../src/lib/server/bootstrap';
import { getConsultationCached, openState, SUBMISSION_REUSE_MS } from '../../../src/lib/server/consultations/queries';
import { parseSubmission } from '../../../src/lib/server/survey/submit';
import type { ConsultationView } from '../../../src/lib/server/consultations/queries';
import { validateForConsultation } from '../../../src/lib/server/submissions/validate';
import { preparedTexts } from '../../../src/lib/server/submissions/save';
import { detectLanguage } from '../../../src/lib/i18n/detect';
import { redact } from '../../../src/lib/privacy/index';
import { screenAnswer } from '../../../src/lib/safeguarding/index';
import { cleanText } from '../../../src/lib/schemas/text';
import { commitBatch, type BatchItem } from '../../../src/lib/server/survey/batch-store';
import { limitedSubmit } from '../../../src/lib/server/survey/rate-limit';
import { submissionsPost } from '../../../src/lib/server/survey/api';
import { inLanguage } from '../../../src/lib/server/i18n';
import { SLUG, submissionBody } from './submissions';
import { parseVariants } from './submissions';
import { STAGE_BODIES } from './submit-stage-bodies';

const count = Number(process.argv[2] ?? 3000);
const rounds = Number(process.argv[3] ?? 3);
const variants = parseVariants(process.argv.slice(4).length ? process.argv.slice(4) : ['default:']);
const BATCH = 10;
// As the HTTP benches run the server: the limits out of the way (the limiter's own work still runs).
process.env.SURVEY_RATE_LIMIT ??= '100000000';
process.env.SURVEY_MAX_CONCURRENT ??= '100000000';
process.env.SURVEY_MAX_PER_SECOND ??= '100000000';
const varied = process.env.STAGES_BODIES === 'varied';

// The SQLite statements' own CPU (better-sqlite3 run/all/get), counted while `sqlOn`.
let sqlOn = false;
let sqlUs = 0;
{
	const probe = new Database(':memory:');
	const proto = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, (...a: unknown[]) => unknown>;
	probe.close();
	for (const method of ['run', 'all', 'get'] as const) {
		const original = proto[method];
		proto[method] = function (this: unknown, ...args: unknown[]) {
			if (!sqlOn) return original.apply(this, args);
			const c = process.cpuUsage();
			try {
				return original.apply(this, args);
			} finally {
				const u = process.cpuUsage(c);
				sqlUs += u.user + u.system;
			}
		};
	}
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consult-stages-'));
const open = await openPrepared({ kind: 'sqlite', path: path.join(dir, 'stages.sqlite') });
const db = open.db;

let bodyIndex = 0;
function nextBody(): string {
	if (!varied) return submissionBody();
	const b = STAGE_BODIES[bodyIndex++ % STAGE_BODIES.length];
	return JSON.stringify({ ...b, id: randomUUID() });
}

const cpu = () => {
	const u = process.cpuUsage();
	return u.user + u.system;
};

type Stages = Map<string, number>;

/** One batch of ten through the stages, each stage for the whole batch; its CPU added to `into` (µs). */
async function stagedBatch(into: Stages) {
	const add = (name: string, since: number) => into.set(name, (into.get(name) ?? 0) + cpu() - since);
	const bodies = Array.from({ length: BATCH }, nextBody);

	let t = cpu();
	const cs: ConsultationView[] = [];
	for (let i = 0; i < BATCH; i++) {
		const c = await getConsultationCached(db, SLUG, { reuseForMs: SUBMISSION_REUSE_MS });
		if (!c || openState(c) !== 'open') throw new Error('not open');
		cs.push(c);
	}
	add('1 lookup', t);

	t = cpu();
	const raws = bodies.map((b) => JSON.parse(b) as unknown);
	add('2 JSON.parse', t);

	t = cpu();
	const inputs = raws.map((raw, i) => {
		const input = parseSubmission(raw);
		if ('fieldErrors' in input) throw new Error('invalid');
		if (Object.keys(validateForConsultation(cs[i], input)).length) throw new Error('invalid for consultation');
		return input;
	});
	add('3 validate', t);

	t = cpu();
	for (let i = 0; i < BATCH; i++)
		await limitedSubmit(`10.0.${(i * 7) % 250}.${i}`, async () => ({ kind: 'invalid' as const }));
	add('4 limiter', t);

	// The texts, stage by stage, then prepared as the commit would (prepareAnswerText, once per distinct text).
	const texts = inputs.flatMap((input) =>
		input.perspectives.flatMap((p) => Object.values(p.answers).filter((x) => x.trim() !== ''))
	);
	t = cpu();
	const cleaned = texts.map((x) => cleanText(x).trim());
	add('5 clean', t);
	t = cpu();
	for (const x of cleaned) redact(x);
	add('6 redact', t);
	t = cpu();
	for (const x of cleaned) screenAnswer(x);
	add('7 screen', t);
	t = cpu();
	for (const x of cleaned) detectLanguage(x, null);
	add('8 language', t);

	// The grouped commit, its texts prepared before (untimed: the stages above), so that "store" is the storing.
	const items: BatchItem[] = inputs.map((input, i) => ({
		c: cs[i],
		input,
		now: undefined,
		texts: preparedTexts(input)
	}));
	const sqlBefore = sqlUs;
	sqlOn = true;
	t = cpu();
	const out = await commitBatch(db, items);
	const storeUs = cpu() - t;
	sqlOn = false;
	into.set('9 store (all)', (into.get('9 store (all)') ?? 0) + storeUs);
	into.set('9a  of which SQLite statements', (into.get('9a  of which SQLite statements') ?? 0) + sqlUs - sqlBefore);
	if (out.some((o) => o.status !== 'created')) throw new Error(`not created: ${JSON.stringify(out[0])}`);

	t = cpu();
	for (const o of out) {
		const r = o as { id: string; reference: string; status: string };
		const text = JSON.stringify({ id: r.id, reference: r.reference, status: r.status });
		Buffer.byteLength(text);
	}
	add('10 reply JSON', t);
}

/** The whole path as the lean route runs it: submissionsPost in the request's language, 10 at a time. */
async function wholePath(n: number) {
	let left = n;
	let bad = 0;
	await Promise.all(
		Array.from({ length: BATCH }, async (_, k) => {
			while (left-- > 0) {
				const body = Buffer.from(nextBody());
				const reply = await inLanguage('en', 'http://localhost', () =>
					submissionsPost({
						db,
						slug: SLUG,
						contentType: 'application/json',
						declaredTooLarge: false,
						readBody: async () => body.toString('utf8'),
						address: () => `10.1.0.${k}`
					})
				);
				JSON.stringify(reply.body);
				if (reply.status !== 201) bad++;
			}
		})
	);
	if (bad) throw new Error(`${bad} submissions not created`);
}

/** The main thread's own CPU so far (ms, /proc: 10 ms ticks). */
function mainThreadCpuMs(): number {
	const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
	const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(f[11]) + Number(f[12])) * 10;
}

function withEnv<T>(env: Record<string, string>, work: () => Promise<T>): Promise<T> {
	const before = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
	Object.assign(process.env, env);
	return work().finally(() => {
		for (const [k, v] of Object.entries(before)) {
			if (v === undefined) delete process.env[k];
			else process.env[k] = v;
		}
	});
}

const load = () => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const results = new Map<string, { stages: Stages; whole: number[]; main: number[] }[]>();

try {
	// Warm-up: every variant's path compiled and its caches filled, outside the measured rounds.
	for (const v of variants)
		await withEnv(v.env, async () => {
			for (let i = 0; i < 50; i++) await stagedBatch(new Map());
			await wholePath(500);
		});
	for (let round = 0; round < rounds; round++) {
		for (const v of variants) {
			await withEnv(v.env, async () => {
				const stages: Stages = new Map();
				const l0 = load();
				for (let i = 0; i < count / BATCH; i++) await stagedBatch(stages);
				const profile = round === 0 && process.env.PROFILE_OUT ? new Session() : null;
				if (profile) {
					profile.connect();
					await profile.post('Profiler.enable');
					await profile.post('Profiler.start');
				}
				const c0 = cpu();
				const m0 = mainThreadCpuMs();
				await wholePath(count);
				const wholeUs = (cpu() - c0) / count;
				const mainUs = ((mainThreadCpuMs() - m0) * 1000) / count;
				if (profile) {
					const { profile: p } = await profile.post('Profiler.stop');
					fs.writeFileSync(
						process.env.PROFILE_OUT!.replace(/(\.cpuprofile)?$/, `-${v.name}.cpuprofile`),
						JSON.stringify(p)
					);
					profile.disconnect();
				}
				const list = results.get(v.name) ?? [];
				list.push({ stages, whole: [wholeUs], main: [mainUs] });
				results.set(v.name, list);
				const sum = [...stages].filter(([k]) => !k.startsWith('9a')).reduce((s, [, us]) => s + us, 0) / count;
				console.log(
					`round ${round + 1} ${v.name}: stages sum ${sum.toFixed(0)} µs/sub, whole path ${wholeUs.toFixed(0)} µs/sub (main thread ${mainUs.toFixed(0)}); load ${l0} → ${load()}`
				);
			});
		}
	}
	// µs per submission by stage: each variant's rounds side by side.
	const names = [...new Set([...results.values()].flatMap((l) => l.flatMap((r) => [...r.stages.keys()])))].sort(
		(a, b) => parseFloat(a) - parseFloat(b) || a.localeCompare(b)
	);
	const header = ['stage (µs per submission)', ...variants.map((v) => v.name)];
	const rows = names.map((n) => [
		n,
		...variants.map((v) =>
			(results.get(v.name) ?? []).map((r) => ((r.stages.get(n) ?? 0) / count).toFixed(1)).join(' / ')
		)
	]);
	rows.push([
		'whole path (submissionsPost, 10 at a time)',
		...variants.map((v) => (results.get(v.name) ?? []).map((r) => r.whole[0].toFixed(0)).join(' / '))
	]);
	rows.push([
		'  its main thread (/proc, 10 ms ticks)',
		...variants.map((v) => (results.get(v.name) ?? []).map((r) => r.main[0].toFixed(0)).join(' / '))
	]);
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
	const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
	console.log(line(header));
	console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
	for (const r of rows) console.log(line(r));
	console.log(`${count} submissions a round, ${varied ? 'varied bodies' : "the survey bench's body"}; load ${load()}`);
} finally {
	await open.close();
	fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
