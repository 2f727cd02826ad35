/**
 * Hashes of several analysis views in one process (result cache off, one computation each, no warm-up), to check
 * that a change leaves every view the same: the same hash as profile-views.ts prints for the view. Each line:
 * view, query, hash, CPU ms (process.cpuUsage) of that computation.
 *   DATABASE_URL=file:/tmp/big.sqlite npx tsx scripts/bench/lib/view-hashes.ts 'dashboard group=child&district=bromsgrove' 'themes -' …
 * (a view and its query string, '-' for none; without arguments the child + Bromsgrove, child, Redditch, unfiltered
 * and weeks 3–4 + Redditch dashboards, theme tables and reports).
 */
import os from 'node:os';
import crypto from 'node:crypto';
import { openPrepared } from '../../../src/lib/server/bootstrap';
import { getConsultation } from '../../../src/lib/server/consultations/queries';
import { parseFilters } from '../../../src/lib/analysis/filters';
import { scopeOf } from '../../../src/lib/server/analysis/scope';
import { questionThemeTables } from '../../../src/lib/server/analysis/dashboard';
import { dashboardTables } from '../../../src/lib/server/analysis/registry';
import { reportData } from '../../../src/lib/server/report/data';

process.env.ANALYSIS_CACHE = 'off';
const QUERIES = [
	'group=child&district=bromsgrove',
	'group=child',
	'district=redditch',
	'-',
	'from=2017-06-05&to=2017-06-18&district=redditch'
];
const args = process.argv.slice(2);
const list = args.length
	? args.map((a) => a.split(' ') as [string, string])
	: ['dashboard', 'themes', 'report'].flatMap((v) => QUERIES.map((q): [string, string] => [v, q]));
const open = await openPrepared();
const c = (await getConsultation(open.db, 'worcestershire-cypp-2017'))!;
const rule = { top: 5, minPct: 10 };
const run = async (view: string, query: string): Promise<unknown> => {
	const f = parseFilters(new URLSearchParams(query === '-' ? '' : query));
	if (view === 'dashboard') return dashboardTables(open.db, c, f, '/');
	const s = scopeOf(c, f);
	if (view === 'themes')
		return Promise.all(
			c.questions.map((x) => questionThemeTables(open.db, c, s, x.key, rule, { base: '/', filters: f }))
		);
	if (view === 'report') return reportData(open.db, c, f, s, rule, '/');
	throw new Error(`unknown view ${view}`);
};
const hash = (x: unknown) => crypto.createHash('sha256').update(JSON.stringify(x)).digest('hex').slice(0, 16);
for (const [view, query] of list) {
	const c0 = process.cpuUsage();
	const r = await run(view, query);
	const d = process.cpuUsage(c0);
	console.log(
		`${view} ${query}: hash ${hash(r)}; cpu ms ${((d.user + d.system) / 1000).toFixed(0)}; load ${os.loadavg()[0].toFixed(1)}`
	);
}
await open.close();
