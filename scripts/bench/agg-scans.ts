/**
 * Which analysis views still read the base tables (answer, submission, perspective, answer_theme)
 * rather than the aggregates, under each filter: every query a view runs (its wider and sibling
 * views included) is traced through a Kysely plugin and the tables it names are listed. Runs on any
 * generated database (small is fine: this counts queries, it does not time them). Result cache off.
 *   DATABASE_URL=file:/tmp/big.sqlite [AGG_SCANS_FILTERS=group=child,group=child&district=bromsgrove]
 *     npx tsx scripts/bench/agg-scans.ts
 */
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs } from 'kysely';
import { openPrepared } from '../../src/lib/server/bootstrap';
import { getConsultation } from '../../src/lib/server/consultations/queries';
import { parseFilters } from '../../src/lib/analysis/filters';
import { scopeOf } from '../../src/lib/server/analysis/scope';
import { questionThemeTables, crossTabTable } from '../../src/lib/server/analysis/dashboard';
import { dashboardTables } from '../../src/lib/server/analysis/registry';
import { reportData } from '../../src/lib/server/report/data';
import { parseCrossTab } from '../../src/lib/analysis/filters';
import { isDimension, type Dimension } from '../../src/lib/analysis/dimensions';
import { SHIPPED_SLUG } from '../../src/lib/domain/shipped-consultation';

process.env.ANALYSIS_CACHE = 'off';
const BASE = ['answer', 'submission', 'perspective', 'answer_theme'];
const open = await openPrepared();
const c = (await getConsultation(open.db, SHIPPED_SLUG))!;
const rule = { top: 5, minPct: 10 };

let seen: string[][] = [];
/** The base tables a query names (as a table identifier, or in raw SQL after from / join). */
function baseTables(node: unknown): string[] {
	const json = JSON.stringify(node);
	const out = new Set<string>();
	for (const t of BASE) {
		if (json.includes(`"kind":"SchemableIdentifierNode","identifier":{"kind":"IdentifierNode","name":"${t}"}`))
			out.add(t);
		if (new RegExp(`(from|join) ${t}\\b`, 'i').test(json)) out.add(t);
	}
	return [...out];
}
const tracer: KyselyPlugin = {
	transformQuery(args: PluginTransformQueryArgs) {
		if (args.node.kind === 'SelectQueryNode') seen.push(baseTables(args.node));
		return args.node;
	},
	transformResult: async (args: PluginTransformResultArgs) => args.result
};
const db = open.db.withPlugin(tracer);
const views: [string, (q: string) => Promise<unknown>][] = [
	[
		'themes, all questions',
		(q) => {
			const f = parseFilters(new URLSearchParams(q));
			const s = scopeOf(c, f);
			return Promise.all(c.questions.map((x) => questionThemeTables(db, c, s, x.key, rule, { base: '/', filters: f })));
		}
	],
	['dashboard (every table)', (q) => dashboardTables(db, c, parseFilters(new URLSearchParams(q)), '/')],
	[
		'report',
		(q) => {
			const f = parseFilters(new URLSearchParams(q));
			return reportData(db, c, f, scopeOf(c, f), rule, '/');
		}
	],
	...['a=group&b=district', 'a=district&b=age', 'a=group&b=age', 'a=week&b=channel', 'a=location&b=gender'].map(
		(x): [string, (q: string) => Promise<unknown>] => [
			`cross-tab ${x}`,
			(q) => {
				const f = parseFilters(new URLSearchParams(q));
				const l = parseCrossTab(new URLSearchParams(x), (v) => v !== null && isDimension(v));
				return crossTabTable(db, c, scopeOf(c, f), l.a as Dimension, l.b as Dimension, 'none');
			}
		]
	)
];
console.log('view | filters | queries | of which read base tables (tables)');
for (const [name, fn] of views)
	for (const filters of (
		process.env.AGG_SCANS_FILTERS ?? ',group=child,group=child&district=bromsgrove,district=bromsgrove'
	).split(',')) {
		seen = [];
		await fn(filters);
		const base = seen.filter((t) => t.length);
		const tables = [...new Set(base.flat())].join(' ');
		console.log(`${name} | ${filters || '-'} | ${seen.length} | ${base.length}${tables ? ` (${tables})` : ''}`);
	}
await open.close();
