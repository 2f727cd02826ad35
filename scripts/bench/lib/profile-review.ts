/**
 * The review list and the quotes page in-process, on an already generated database: CPU per run and,
 * with QUERY_LOG=1 (SQLite), each statement's own time, the slowest first. Prints a hash of the result so
 * that two builds can be checked to give the same page.
 *   DATABASE_URL=file:/tmp/big.sqlite npx tsx scripts/bench/lib/profile-review.ts review 'question=q1&uncoded=1' [runs]
 * Views: review (listAnswers, as the page calls it), quotes (suggestQuotes for every theme of the question).
 */
import os from 'node:os';
import crypto from 'node:crypto';
import Database from 'better-sqlite3';
import { openPrepared } from '../../../src/lib/server/bootstrap';
import { getConsultation } from '../../../src/lib/server/consultations/queries';
import { parseFilters, parseReviewFilters, UNKNOWN } from '../../../src/lib/analysis/filters';
import { scopeOf } from '../../../src/lib/server/analysis/scope';
import { activeThemes } from '../../../src/lib/server/analysis/queries';
import { listAnswers, PAGE_SIZE } from '../../../src/lib/server/review';
import { suggestQuotes } from '../../../src/lib/server/review/quotes';

process.env.ANALYSIS_CACHE = 'off';
const shapes = new Map<string, { n: number; ms: number }>();
let logging = false;
if (process.env.QUERY_LOG) {
	type Statement = Record<string, (...a: unknown[]) => unknown>;
	const proto = Database.prototype as unknown as { prepare: (this: unknown, text: string) => Statement };
	const prepare = proto.prepare;
	proto.prepare = function (this: unknown, text: string) {
		const st = prepare.call(this, text);
		for (const m of ['all', 'get', 'run', 'iterate']) {
			const f = st[m];
			if (typeof f !== 'function') continue;
			st[m] = function (this: unknown, ...a: unknown[]) {
				const t = performance.now();
				try {
					return f.apply(this, a);
				} finally {
					if (logging) {
						const x = shapes.get(text) ?? { n: 0, ms: 0 };
						x.n++;
						x.ms += performance.now() - t;
						shapes.set(text, x);
					}
				}
			};
		}
		return st;
	};
}
const [view = 'review', query = '', runsArg = '3'] = process.argv.slice(2);
const runs = Number(runsArg);
const open = await openPrepared();
const c = (await getConsultation(open.db, 'worcestershire-cypp-2017'))!;
const run = async (): Promise<unknown> => {
	const params = new URLSearchParams(query);
	const f = parseFilters(params);
	const s = scopeOf(c, f);
	if (view === 'review')
		return listAnswers(open.db, s, parseReviewFilters(params), PAGE_SIZE, { mayReadFlagged: false });
	const question = c.questions.find((q) => q.key === f.question) ?? c.questions[0];
	const known = f.group === UNKNOWN || c.groups.some((g) => g.code === f.group);
	const group = known ? (f.group ?? null) : null;
	const themes = await activeThemes(open.db, [question.id]);
	return Promise.all(themes.map((t) => suggestQuotes(open.db, t.id, 6, { group })));
};
const hash = (x: unknown) => crypto.createHash('sha256').update(JSON.stringify(x)).digest('hex').slice(0, 16);
const first = await run();
const cpu: number[] = [];
logging = true;
for (let i = 0; i < runs; i++) {
	const c0 = process.cpuUsage();
	const r = await run();
	const d = process.cpuUsage(c0);
	cpu.push((d.user + d.system) / 1000);
	if (hash(r) !== hash(first)) throw new Error('runs differ');
}
logging = false;
const total = (first as { total?: number }).total;
console.log(
	`${view} ${query || '-'}: cpu ms ${cpu.map((x) => x.toFixed(0)).join(' ')}; hash ${hash(first)}${total === undefined ? '' : `; total ${total}`}; load ${os
		.loadavg()
		.map((l) => l.toFixed(1))
		.join(' ')}`
);
if (process.env.QUERY_LOG) {
	const list = [...shapes].sort((a, b) => b[1].ms - a[1].ms);
	for (const [text, x] of list.slice(0, 6))
		console.log(`${x.n} ${x.ms.toFixed(1)} ms ${process.env.FULL ? text : text.slice(0, 400)}`);
}
await open.close();
