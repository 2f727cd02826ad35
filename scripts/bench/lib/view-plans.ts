/**
 * The analysis views' statements planned on the schema with and without `submission.client_id` (migration
 * 2026-12-13-0100; issue #18, thirty-second round), SQLite: a new database migrated to the head, N online
 * submissions stored by the survey's grouped path (storeSubmissions with client ids: random ids, so each row is
 * keyed by a server id), `pragma optimize`; then a set of views run in-process (result cache off) with every
 * statement better-sqlite3 prepares recorded with its first parameters; each statement put through EXPLAIN QUERY
 * PLAN, the migration's down run, and each statement planned again, and the views run again (their results' hashes
 * compared). Prints the statements, how many plans changed, and any plan with a SCAN of a table.
 *   npx tsx scripts/bench/lib/view-plans.ts [submissions=3000]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { aroundEachStatement } from './statement-hook';
import { openPrepared } from '../../../src/lib/server/bootstrap';
import { getConsultation } from '../../../src/lib/server/consultations/queries';
import { parseFilters } from '../../../src/lib/analysis/filters';
import { scopeOf } from '../../../src/lib/server/analysis/scope';
import { questionThemeTables } from '../../../src/lib/server/analysis/dashboard';
import { dashboardTables } from '../../../src/lib/server/analysis/registry';
import { reportData } from '../../../src/lib/server/report/data';
import { storeSubmissions } from '../../../src/lib/server/submissions/save';
import { forgetClientIdColumn } from '../../../src/lib/server/submissions/client-ids';
import { migrations } from '../../../src/lib/server/db/migrations';
import type { SubmissionInput } from '../../../src/lib/schemas/submission';

process.env.ANALYSIS_CACHE = 'off';
const N = Number(process.argv[2] ?? 3000);
const MIGRATION = '2026-12-13-0100-submission-client-id';

const recorded = new Map<string, unknown[]>();
let recording = false;
aroundEachStatement((text, a, call) => {
	if (recording && !recorded.has(text) && /^\s*(select|with)\b/i.test(text)) recorded.set(text, a);
	return call();
});

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'view-plans-'));
const file = path.join(dir, 'db.sqlite');
const open = await openPrepared({ kind: 'sqlite', path: file });
const c = (await getConsultation(open.db, 'worcestershire-cypp-2017'))!;
const groups = c.groups.map((g) => g.code);
const districts = (c.districts ?? []).map((d) => d.code);
for (let from = 0; from < N; from += 50) {
	const items = Array.from({ length: Math.min(50, N - from) }, (_, k) => {
		const i = from + k;
		const answers = Object.fromEntries(
			c.questions.map((q) => [q.key, `Answer ${i % 97} to ${q.key}: somewhere to go`])
		);
		return {
			consultation: c,
			input: {
				id: randomUUID(),
				district: districts[i % Math.max(1, districts.length)] ?? null,
				perspectives: [
					{ group: groups[i % groups.length], answers },
					...(i % 3 === 0 ? [{ group: groups[(i + 1) % groups.length], answers }] : [])
				],
				about: { ageBand: '18-24' }
			} as unknown as SubmissionInput,
			meta: { channel: 'online' as const, createdAt: new Date(Date.UTC(2026, 10, 1 + (i % 40), 9)).toISOString() }
		};
	});
	await open.db.transaction().execute((tx) => storeSubmissions(tx, items, { clientIds: true }));
}
const server = await open.db
	.selectFrom('submission')
	.select((eb) => eb.fn.countAll().as('n'))
	.where('client_id', 'is not', null)
	.executeTakeFirstOrThrow();
console.log(`${N} submissions stored, ${server.n} under a server id`);

const rule = { top: 5, minPct: 10 };
const QUERIES = [
	'',
	`group=${groups[0]}`,
	`district=${districts[0]}`,
	`group=${groups[1]}&district=${districts[1]}`,
	`question=${c.questions[0].key}`
];
const hash = (x: unknown) => crypto.createHash('sha256').update(JSON.stringify(x)).digest('hex').slice(0, 16);
async function views(): Promise<string[]> {
	const out: string[] = [];
	for (const q of QUERIES) {
		const f = parseFilters(new URLSearchParams(q));
		const s = scopeOf(c, f);
		out.push(`dashboard ${q}: ${hash(await dashboardTables(open.db, c, f, '/'))}`);
		out.push(`report ${q}: ${hash(await reportData(open.db, c, f, s, rule, '/'))}`);
		out.push(
			`themes ${q}: ${hash(await Promise.all(c.questions.map((x) => questionThemeTables(open.db, c, s, x.key, rule, { base: '/', filters: f }))))}`
		);
	}
	return out;
}
await open.db
	.executeQuery({ sql: 'pragma optimize', parameters: [], query: { kind: 'RawNode' } } as never)
	.catch(() => {});
recording = true;
const before = await views();
recording = false;
const raw = new Database(file);
const plan = (text: string, args: unknown[]) =>
	(raw.prepare(`explain query plan ${text}`).all(...(args as never[])) as { detail: string }[])
		.map((r) => r.detail)
		.join(' | ');
const plans1 = new Map([...recorded].map(([t, a]) => [t, plan(t, a)]));
raw.close();
await migrations[MIGRATION].down!(open.db);
forgetClientIdColumn(open.db);
const after = await views();
const raw2 = new Database(file);
const plans2 = new Map(
	[...recorded].map(([t, a]) => [
		t,
		(raw2.prepare(`explain query plan ${t}`).all(...(a as never[])) as { detail: string }[])
			.map((r) => r.detail)
			.join(' | ')
	])
);
raw2.close();
let changed = 0;
for (const [t, p] of plans1)
	if (plans2.get(t) !== p) {
		changed++;
		console.log(`CHANGED: ${t.slice(0, 200)}\n  with client_id: ${p}\n  without:        ${plans2.get(t)}`);
	}
const scans = [...plans1].filter(([, p]) => /\bSCAN (submission|perspective|answer)\b/.test(p));
console.log(
	`${recorded.size} distinct statements; plans changed by the column: ${changed}; results equal: ${before.join() === after.join()}`
);
console.log(`statements with a SCAN of submission, perspective or answer (with the column): ${scans.length}`);
for (const [t, p] of scans) console.log(`  ${t.slice(0, 160)}\n    ${p}`);
await open.close();
fs.rmSync(dir, { recursive: true, force: true });
