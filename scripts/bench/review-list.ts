/**
 * The review list at scale (issue #19), A/B interleaved in one process: the not-yet-reviewed total from the kept
 * reviewed counts (analysis_agg_review) against counting the reviewed answers (REVIEW_AGGREGATES=off), and a deep
 * page read by key (`after`, the Next link) against by offset (REVIEW_KEYSET=off). CPU time of the process per
 * call (process.cpuUsage) and wall time; median and range of each.
 *
 *   DATABASE_URL=file:/path/copy.sqlite npx tsx scripts/bench/review-list.ts [rounds]
 */
import { openDatabase } from '../../src/lib/server/db/connect';
import { parseDatabaseUrl } from '../../src/lib/server/db/config';
import { getConsultation } from '../../src/lib/server/consultations/queries';
import { parseFilters, parseReviewFilters } from '../../src/lib/analysis/filters';
import { scopeOf } from '../../src/lib/server/analysis/scope';
import { listAnswers, reviewTotal } from '../../src/lib/server/review';
import { loadavg } from 'node:os';

const rounds = Number(process.argv[2] ?? 5);

async function main() {
	process.env.ANALYSIS_CACHE = 'off';
	const open = await openDatabase(parseDatabaseUrl(process.env.DATABASE_URL));
	const db = open.db;
	const slug = (await db.selectFrom('consultation').select('slug').executeTakeFirstOrThrow()).slug;
	const c = (await getConsultation(db, slug))!;
	const at = (q: string) => {
		const p = new URLSearchParams(q);
		return { s: scopeOf(c, parseFilters(p)), rf: parseReviewFilters(p) };
	};
	/** The key of page `page` (the last id of the page before), read once by offset. */
	async function keyOf(q: string, page: number): Promise<number> {
		const { s, rf } = at(`${q}&page=${page - 1}`);
		const r = await listAnswers(db, s, rf);
		return r.answers[r.answers.length - 1].id;
	}
	type Case = { name: string; run: () => Promise<unknown>; env: string; on: string };
	const cases: Case[] = [];
	for (const q of ['unreviewed=1&group=child&district=bromsgrove', 'unreviewed=1', 'unreviewed=1&question=q1'])
		cases.push({
			name: `total ${q}`,
			env: 'REVIEW_AGGREGATES',
			on: 'kept',
			run: () => reviewTotal(db, at(q).s, at(q).rf)
		});
	for (const [q, page] of [
		['group=child&district=bromsgrove', 50],
		['unreviewed=1&group=child&district=bromsgrove', 50],
		['', 500],
		['unreviewed=1', 500]
	] as const) {
		const key = await keyOf(q, page);
		cases.push({
			name: `page ${page} ${q || '(all)'}`,
			env: 'REVIEW_KEYSET',
			on: 'key',
			run: () => {
				const { s, rf } = at(`${q}&page=${page}&after=${key}`);
				return listAnswers(db, s, rf);
			}
		});
	}
	const time = async (run: () => Promise<unknown>) => {
		const c0 = process.cpuUsage();
		const t0 = performance.now();
		const out = JSON.stringify(await run());
		const cpu = process.cpuUsage(c0);
		return { ms: performance.now() - t0, cpu: (cpu.user + cpu.system) / 1000, out };
	};
	const fmt = (xs: number[]) => {
		const s = [...xs].sort((a, b) => a - b);
		return `${s[Math.floor(s.length / 2)].toFixed(1)} (${s[0].toFixed(1)}-${s[s.length - 1].toFixed(1)})`;
	};
	console.log(
		`load average before: ${loadavg()
			.map((l) => l.toFixed(2))
			.join(' ')}`
	);
	for (const k of cases) {
		const a = { ms: [] as number[], cpu: [] as number[] };
		const b = { ms: [] as number[], cpu: [] as number[] };
		let same = true;
		for (let i = 0; i < rounds; i++) {
			// A (new) then B (switch off), interleaved.
			delete process.env[k.env];
			const ra = await time(k.run);
			process.env[k.env] = 'off';
			const rb = await time(k.run);
			delete process.env[k.env];
			a.ms.push(ra.ms);
			a.cpu.push(ra.cpu);
			b.ms.push(rb.ms);
			b.cpu.push(rb.cpu);
			same &&= ra.out === rb.out;
		}
		console.log(
			`${k.name}: ${k.on} CPU ${fmt(a.cpu)} ms, wall ${fmt(a.ms)} ms | ${k.env}=off CPU ${fmt(b.cpu)} ms, wall ${fmt(b.ms)} ms | same result: ${same}`
		);
	}
	console.log(
		`load average after: ${loadavg()
			.map((l) => l.toFixed(2))
			.join(' ')}`
	);
	await open.close();
}
main().catch((e) => {
	console.error(e);
	process.exit(1);
});
