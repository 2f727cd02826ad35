/**
 * Rough in-process A/B of ANALYSIS_WEEK_PAGE_LABELS (issue #11, dis44): "Week by channel" (and "Week by group") in
 * sliced views, result cache off, the variants interleaved (the order reversed every round); CPU (process.cpuUsage)
 * and wall per build, and whether the two variants' tables differ.
 *   DATABASE_URL=file:/tmp/big.sqlite npx tsx scripts/bench/lib/week-labels-ab.ts ROUNDS 'channel=event' 'group=child&district=bromsgrove' ...
 */
import os from 'node:os';
import { openPrepared } from '../../../src/lib/server/bootstrap';
import { getConsultation } from '../../../src/lib/server/consultations/queries';
import { parseFilters } from '../../../src/lib/analysis/filters';
import { tableById } from '../../../src/lib/server/analysis/registry';

process.env.ANALYSIS_CACHE = 'off';
const [roundsArg = '3', ...views] = process.argv.slice(2);
const open = await openPrepared();
const c = (await getConsultation(open.db, 'worcestershire-cypp-2017'))!;
const tabs = ['a=week&b=channel&percent=none', 'a=group&b=week&percent=none'];
const build = async (qs: string, tab: string) =>
	JSON.stringify(
		await tableById(open.db, c, parseFilters(new URLSearchParams(qs)), 'crosstab', new URLSearchParams(tab), '/')
	);
const samples = new Map<string, { cpu: number[]; wall: number[] }>();
const out = new Map<string, string>();
// One warm-up of each.
for (const v of ['on', 'off']) {
	process.env.ANALYSIS_WEEK_PAGE_LABELS = v;
	for (const qs of views) for (const tab of tabs) await build(qs, tab);
}
for (let r = 0; r < Number(roundsArg); r++)
	for (const v of r % 2 ? ['off', 'on'] : ['on', 'off']) {
		process.env.ANALYSIS_WEEK_PAGE_LABELS = v;
		for (const qs of views)
			for (const tab of tabs) {
				const c0 = process.cpuUsage();
				const t0 = performance.now();
				const json = await build(qs, tab);
				const cpu = process.cpuUsage(c0);
				const k = `${v} ${qs} ${tab}`;
				const x = samples.get(k) ?? { cpu: [], wall: [] };
				x.cpu.push((cpu.user + cpu.system) / 1000);
				x.wall.push(performance.now() - t0);
				samples.set(k, x);
				out.set(k, json);
			}
	}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
for (const [k, x] of samples)
	console.log(
		`${k}: cpu median ${med(x.cpu).toFixed(0)} ms [${x.cpu.map((n) => n.toFixed(0)).join(' ')}], wall median ${med(x.wall).toFixed(0)} ms`
	);
for (const qs of views)
	for (const tab of tabs)
		console.log(
			`${qs} ${tab}: ${out.get(`on ${qs} ${tab}`) === out.get(`off ${qs} ${tab}`) ? 'same tables' : 'labels differ'}`
		);
console.log(
	`load average ${os
		.loadavg()
		.map((n) => n.toFixed(1))
		.join(' ')}`
);
await open.close();
