/**
 * What disclosure control costs: every dashboard table, every question's theme table and five
 * cross-tabs built in-process from the same SQLite database with suppression off (min=0) and on
 * (min=5), unfiltered and filtered (one district, one district and a group, a channel, a date
 * range); the difference is the suppression. The first page of each filter after the data was
 * written works out its wider and sibling views (cold); the median of the next runs reads them
 * from the cache (warm). Also protectTable alone on large random cross-tabs. Answers:
 * SUPPRESS_BENCH_ANSWERS (default 20,000).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPrepared } from '../../src/lib/server/bootstrap';
import { parseDatabaseUrl } from '../../src/lib/server/db/config';
import { getConsultation } from '../../src/lib/server/consultations/queries';
import { dashboardTables, tableById } from '../../src/lib/server/analysis/registry';
import { questionThemeTables } from '../../src/lib/server/analysis/dashboard';
import { analysisFilters, scopeOf } from '../../src/lib/server/analysis/scope';
import { protectTable } from '../../src/lib/analysis/suppress';
import { generateAnswers } from '../generate-answers';
import { seededRandom } from '../../src/lib/util/random';

const CROSSTABS = [
	'a=group&b=district',
	'a=age&b=gender',
	'a=week&b=channel',
	'a=location&b=group',
	'a=ethnicity&b=district'
];

export async function run(log: (line: string) => void) {
	const total = Number(process.env.SUPPRESS_BENCH_ANSWERS ?? 20_000);
	const runs = 5;
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consult-suppress-bench-'));
	try {
		const open = await openPrepared(parseDatabaseUrl(`file:${path.join(dir, 'bench.sqlite')}`));
		const g = await generateAnswers(open.db, { answers: total });
		log(
			`generated ${g.answers.toLocaleString('en-GB')} answers (${g.submissions.toLocaleString('en-GB')} submissions)`
		);
		const slug = (await open.db.selectFrom('consultation').select('slug').executeTakeFirstOrThrow()).slug;
		const c = (await getConsultation(open.db, slug))!;
		const district = c.districts[0]?.code ?? 'unknown';
		const all = async (qs: string) => {
			const filters = await analysisFilters(open.db, c, new URLSearchParams(qs));
			const tables = await dashboardTables(open.db, c, filters, '/b');
			for (const q of c.questions) {
				const t = await questionThemeTables(
					open.db,
					c,
					scopeOf(c, filters),
					q.key,
					{ top: 5, minPct: 10 },
					{ base: '/b', filters }
				);
				if (t) tables.push(t.counts);
			}
			for (const x of CROSSTABS)
				tables.push((await tableById(open.db, c, filters, 'crosstab', new URLSearchParams(x), '/b'))!);
			return tables;
		};
		const cpu = async (f: () => Promise<unknown>) => {
			const t0 = process.cpuUsage();
			await f();
			const d = process.cpuUsage(t0);
			return (d.user + d.system) / 1000;
		};
		const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
		log(
			`load average at start: ${os
				.loadavg()
				.map((x) => x.toFixed(1))
				.join(' ')} on ${os.cpus().length} cores; CPU time of this process, median of ${runs}`
		);
		log(
			'view | tables | hidden cells | CPU ms min=0 | CPU ms min=5 first page | CPU ms min=5 warm | suppression ms warm'
		);
		const first = (
			await open.db
				.selectFrom('submission')
				.select((e) => e.fn.min('created_at').as('d'))
				.executeTakeFirstOrThrow()
		).d as string;
		const day = (n: number) => new Date(Date.parse(first.slice(0, 10)) + n * 86_400_000).toISOString().slice(0, 10);
		for (const [name, qs] of [
			['unfiltered', ''],
			[`filtered to ${district}`, `district=${district}`],
			[`${district}, children`, `district=${district}&group=child`],
			['face to face', 'channel=face-to-face'],
			['three weeks', `from=${day(7)}&to=${day(27)}`]
		] as const) {
			await all(`${qs}&min=0`);
			const off: number[] = [];
			const on: number[] = [];
			let tables = 0;
			let hidden = 0;
			// The first page after the data was written: nothing kept yet for these filters.
			const cold = await cpu(() => all(`${qs}&min=5`));
			for (let i = 0; i < runs; i++) {
				off.push(await cpu(() => all(`${qs}&min=0`)));
				on.push(
					await cpu(async () => {
						const t = await all(`${qs}&min=5`);
						tables = t.length;
						hidden = t.flatMap((x) => x.rows.flatMap((r) => r.cells)).filter((cell) => cell.suppressed).length;
					})
				);
			}
			log(
				`${name} | ${tables} | ${hidden} | ${median(off).toFixed(0)} | ${cold.toFixed(0)} | ${median(on).toFixed(0)} | ${(median(on) - median(off)).toFixed(0)}`
			);
		}
		await open.close();
		// protectTable alone on large random two-way tables with margins.
		const next = seededRandom(5).next;
		log('protectTable alone (random cross-tab with margins) | cells | hidden | CPU ms');
		for (const [R, C, scale] of [
			[20, 10, 12],
			[40, 20, 12],
			[100, 10, 8],
			[200, 8, 6]
		]) {
			const cells = Array.from({ length: R }, () => Array.from({ length: C }, () => Math.floor(next() ** 2 * scale)));
			const rowTotals = cells.map((r) => r.reduce((a, b) => a + b, 0));
			const colTotals = cells[0].map((_, j) => cells.reduce((a, r) => a + r[j], 0));
			let hidden = 0;
			const ms = await cpu(async () => {
				const p = protectTable({ cells, rowTotals, colTotals, grand: rowTotals.reduce((a, b) => a + b, 0), min: 5 });
				hidden = p.cells.flat().filter(Boolean).length;
			});
			log(`${R} × ${C} | ${R * C} | ${hidden} | ${ms.toFixed(0)}`);
		}
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}
