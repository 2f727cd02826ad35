/**
 * A/B of analysis views over HTTP on one already generated database (issue #19): starts the built server once per
 * variant (the same build and database, each with its own environment, e.g. `ANALYSIS_CHANNEL_EQUALITY=off`), signs
 * in, and requests each view from each variant in turn, interleaved (A B A B …, the order reversed every round), result
 * cache off; prints each request's server CPU (all threads, Linux schedstat) and wall time, then per view and variant
 * the median and spread, with the load average.
 *   DATABASE_URL=file:/work/data/x.sqlite tsx scripts/bench/lib/ab-views.ts ROUNDS 'A:ANALYSIS_CHANNEL_EQUALITY=off' 'B:' \
 *     -- 'dashboard?group=child&channel=online' 'report?group=child&district=bromsgrove' ...
 * A view is the path under the consultation's analysis pages ('dashboard' is the dashboard itself; 'themes?…',
 * 'report?…'). AB_PORT (default 41300): the first variant's port, the next ones after it. AB_ENTRY: another build
 * (for every variant; `'A:AB_ENTRY=/tmp/old/build/index.js'` for one variant only: old code against new).
 */
import fs from 'node:fs';
import os from 'node:os';
import { hash } from '@node-rs/argon2';
import { startProductionBuild, type RunningServer } from '../../lib/server';
import { openPrepared } from '../../../src/lib/server/bootstrap';
import { parseDatabaseUrl } from '../../../src/lib/server/db/config';
import { SHIPPED_SLUG as SLUG } from '../../../src/lib/domain/shipped-consultation';
import { loadAverage, parseVariants } from './submissions';

const args = process.argv.slice(2);
const sep = args.indexOf('--');
if (sep < 0) throw new Error('usage: ab-views.ts ROUNDS NAME:VAR=VALUE ... -- VIEW ...');
const rounds = Number(args[0]);
const variants = parseVariants(args.slice(1, sep));
const views = args.slice(sep + 1);
const dbUrl = process.env.DATABASE_URL;
if (!dbUrl) throw new Error('DATABASE_URL: the generated database');

/** CPU ns the process has used so far, all threads (schedstat). */
function cpuNs(pid: number): number {
	let total = 0;
	for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
		try {
			total += Number(fs.readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
		} catch {
			// the thread ended
		}
	}
	return total;
}

const email = `ab-officer-${Date.now()}@example.gov.uk`;
const password = 'ab views officer password 1';
const open = await openPrepared(parseDatabaseUrl(dbUrl));
const now = new Date().toISOString();
await open.db
	.insertInto('app_user')
	.values({ email, password_hash: await hash(password), role: 'officer', created_at: now, updated_at: now })
	.execute();
await open.close();

const servers: { s: RunningServer; cookie: string }[] = [];
const samples = new Map<string, { cpu: number[]; wall: number[] }>();
try {
	for (const [i, v] of variants.entries()) {
		// A variant's AB_ENTRY: its own build (old code against new on one database); not passed to the server.
		const { AB_ENTRY: entry, ...env } = v.env;
		const s = await startProductionBuild(
			entry ?? process.env.AB_ENTRY ?? 'build/index.js',
			{ DATABASE_URL: dbUrl, ANALYSIS_CACHE: 'off', CODING_DELAY_MS: '600000', ...env },
			{ port: Number(process.env.AB_PORT ?? 41300) + i, timeoutMs: 120_000 }
		);
		const login = await fetch(`${s.url}/login`, {
			method: 'POST',
			redirect: 'manual',
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin: s.url, accept: 'text/html' },
			body: new URLSearchParams({ email, password }).toString()
		});
		const cookie = (login.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
		if (login.status !== 303 || !cookie) throw new Error(`could not sign in (status ${login.status})`);
		servers.push({ s, cookie });
	}
	const pathOf = (view: string) => {
		const [name, q = ''] = view.split(/\?(.*)/s);
		return `/admin/c/${SLUG}${name === 'dashboard' ? '' : `/${name}`}${q ? `?${q}` : ''}`;
	};
	const request = async (i: number, view: string) => {
		const { s, cookie } = servers[i];
		const c0 = cpuNs(s.process.pid!);
		const t0 = performance.now();
		const r = await fetch(`${s.url}${pathOf(view)}`, { headers: { cookie } });
		await r.arrayBuffer();
		const wall = performance.now() - t0;
		const cpu = (cpuNs(s.process.pid!) - c0) / 1e6;
		if (r.status !== 200) throw new Error(`${variants[i].name} ${view}: status ${r.status}`);
		return { cpu, wall };
	};
	console.log(`load average at start: ${loadAverage()} on ${os.cpus().length} cores`);
	// One warm-up request of every view on every server.
	for (const view of views) for (let i = 0; i < servers.length; i++) await request(i, view);
	for (let round = 1; round <= rounds; round++) {
		const order = round % 2 ? servers.map((_, i) => i) : servers.map((_, i) => servers.length - 1 - i);
		for (const view of views)
			for (const i of order) {
				const m = await request(i, view);
				const k = `${view} | ${variants[i].name}`;
				const x = samples.get(k) ?? { cpu: [], wall: [] };
				x.cpu.push(m.cpu);
				x.wall.push(m.wall);
				samples.set(k, x);
				console.log(
					`round ${round} ${k}: cpu ${m.cpu.toFixed(0)} ms, wall ${m.wall.toFixed(0)} ms; load ${loadAverage()}`
				);
			}
	}
	const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
	console.log('\nview | variant | cpu median (min–max) | wall median (ms)');
	for (const [k, x] of samples)
		console.log(
			`${k} | ${median(x.cpu).toFixed(0)} (${Math.min(...x.cpu).toFixed(0)}–${Math.max(...x.cpu).toFixed(0)}) | ${median(x.wall).toFixed(0)}`
		);
	console.log(`load average at end: ${loadAverage()}`);
} finally {
	for (const { s } of servers) await s.stop('SIGTERM', 30_000);
}
