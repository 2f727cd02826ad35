/**
 * The figures of docs/analysis.md "A long gap between submissions" (issue #19, span37): the demo data plus one
 * survey submission on 1 December 2026, the three dashboards of docs/survey.md in-process (ANALYSIS_CACHE=off),
 * ANALYSIS_EMPTY_WEEKS=off (before) and on (after) interleaved, CPU time from process.cpuUsage, load average beside
 * each. Runs only with BENCH_DATE_GAP=1 (rounds: BENCH_ROUNDS, default 3; BENCH_BEFORE=0 skips the slow before).
 */
import os from 'node:os';
import { expect, it } from 'vitest';
import { preparedDatabase } from './helpers/databases';
import { loadDemo, DEMO_SLUG } from '../src/lib/server/demo/load';
import { getConsultation } from '../src/lib/server/consultations/queries';
import { saveSubmission } from '../src/lib/server/submissions/save';
import { dashboardTables } from '../src/lib/server/analysis/registry';
import { analysisFilters, scopeOf } from '../src/lib/server/analysis/scope';

const on = process.env.BENCH_DATE_GAP === '1';

it.skipIf(!on)(
	'date gap bench',
	async () => {
		process.env.ANALYSIS_CACHE = 'off';
		const fresh = await preparedDatabase((process.env.BENCH_ENGINE as 'sqlite' | 'postgres') ?? 'sqlite');
		try {
			await loadDemo(fresh.db);
			const c = (await getConsultation(fresh.db, DEMO_SLUG))!;
			const g = c.groups[0].code;
			await saveSubmission(
				fresh.db,
				c,
				{
					id: 'bbbbbbbb-0000-4000-8000-000000000001',
					district: c.districts[0].code,
					perspectives: [{ group: g, answers: { [c.questions[0].key]: 'a test before opening' } }],
					about: null
				} as never,
				{ channel: 'online', createdAt: '2026-12-01T10:00:00.000Z' }
			);
			const urls = ['from=2017-06-01', 'min=7&from=2017-06-01', 'group=practitioner&min=7&from=2017-06-01', 'min=7'];
			const rounds = Number(process.env.BENCH_ROUNDS) || 3;
			const modes = process.env.BENCH_BEFORE === '0' ? ['on'] : ['off', 'on'];
			const outs = new Map<string, string>();
			for (let r = 0; r < rounds; r++)
				for (const qs of urls)
					for (const mode of r % 2 ? [...modes].reverse() : modes) {
						if (mode === 'off') process.env.ANALYSIS_EMPTY_WEEKS = 'off';
						else delete process.env.ANALYSIS_EMPTY_WEEKS;
						const cpu = process.cpuUsage();
						const t0 = performance.now();
						const filters = await analysisFilters(fresh.db, c, new URLSearchParams(qs));
						const tables = await dashboardTables(fresh.db, c, filters, '/b', scopeOf(c, filters));
						const wall = performance.now() - t0;
						const used = process.cpuUsage(cpu);
						const text = JSON.stringify(tables);
						const had = outs.get(qs);
						if (had !== undefined && mode !== 'off') expect(text === had || !modes.includes('off')).toBe(true);
						if (had === undefined) outs.set(qs, text);
						else expect(text, `${qs} ${mode}`).toBe(had);
						console.log(
							`round ${r + 1} ${qs} EMPTY_WEEKS=${mode}: wall ${(wall / 1000).toFixed(2)} s, cpu ${((used.user + used.system) / 1e6).toFixed(2)} s, load ${os.loadavg()[0].toFixed(1)}`
						);
					}
		} finally {
			delete process.env.ANALYSIS_EMPTY_WEEKS;
			await fresh.drop();
		}
	},
	3_600_000
);
