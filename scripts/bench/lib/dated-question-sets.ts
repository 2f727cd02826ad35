/**
 * The family reads of a dated question page in-process (issue #19, dash38): for the page's filters, each question's
 * scope and the scope without a question (as the page's protection asks for them) read their equality combinations
 * and perspectives by group, in one fresh family; CPU of the whole (process.cpuUsage: better-sqlite3 runs the
 * statements on this thread), and a hash of the results to check that ANALYSIS_DATED_QUESTION_SETS on and off agree.
 *   DATABASE_URL=file:/tmp/q.sqlite npx tsx scripts/bench/lib/dated-question-sets.ts 'from=2017-06-05&to=2017-06-18&channel=online&question=q2'
 */
import os from 'node:os';
import crypto from 'node:crypto';
import { openPrepared } from '../../../src/lib/server/bootstrap';
import { getConsultation } from '../../../src/lib/server/consultations/queries';
import { parseFilters } from '../../../src/lib/analysis/filters';
import { scopeOf } from '../../../src/lib/server/analysis/scope';
import { relatedScope } from '../../../src/lib/server/analysis/wider';
import { equalityCombinations, perspectivesByGroup } from '../../../src/lib/server/analysis/queries';

process.env.ANALYSIS_CACHE = 'off';
const [query = ''] = process.argv.slice(2);
const open = await openPrepared();
const c = (await getConsultation(open.db, 'worcestershire-cypp-2017'))!;
const f = parseFilters(new URLSearchParams(query));
const page = scopeOf(c, f);
const c0 = process.cpuUsage();
const t0 = performance.now();
const out: unknown[] = [];
for (const q of [...c.questions.map((x) => x.key), undefined]) {
	const filters = { ...f };
	if (q === undefined) delete filters.question;
	else filters.question = q;
	const s = q === f.question ? page : relatedScope(page, filters);
	out.push(q ?? '-', await equalityCombinations(open.db, s), await perspectivesByGroup(open.db, s));
}
const d = process.cpuUsage(c0);
const hash = crypto.createHash('sha256').update(JSON.stringify(out)).digest('hex').slice(0, 16);
console.log(
	`ANALYSIS_DATED_QUESTION_SETS=${process.env.ANALYSIS_DATED_QUESTION_SETS ?? 'on'} ${query}: cpu ms ${((d.user + d.system) / 1000).toFixed(0)}; wall ms ${(performance.now() - t0).toFixed(0)}; hash ${hash}; load ${os
		.loadavg()
		.map((l) => l.toFixed(1))
		.join(' ')}`
);
await open.close();
