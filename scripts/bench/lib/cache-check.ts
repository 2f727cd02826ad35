/**
 * The analysis cache's check on its own (issue #19: "the cache check <= 5 ms"): what a cached request
 * does before it is served, the data-version read (one primary-key read on the app's pool) and the
 * lookup of the entry, timed in this process against the bench's database with the very code the
 * server runs (`cachedAnalysis` in src/lib/server/analysis/cache.ts), an entry being there. The whole
 * cached request (session, routing, rendering the page) is reported beside it by the HTTP runs.
 */
import { cachedAnalysis } from '../../../src/lib/server/analysis/cache';
import { openDatabase } from '../../../src/lib/server/db/connect';
import { parseDatabaseUrl } from '../../../src/lib/server/db/config';

export interface CacheCheckTimes {
	checks: number;
	/** Wall time of one check, ms, sorted ascending. */
	wallMs: number[];
	/** CPU time of this process per check, ms (the mean over all checks: one is too short to time alone). */
	cpuMsPerCheck: number;
}

/** Times `checks` cache checks (after `warmUp` untimed ones) that each find their entry. */
export async function timeCacheChecks(url: string, checks = 500, warmUp = 20): Promise<CacheCheckTimes> {
	const open = await openDatabase(parseDatabaseUrl(url), { create: false });
	const saved = process.env.ANALYSIS_CACHE;
	delete process.env.ANALYSIS_CACHE; // the cache on, as the server has it by default
	try {
		let computed = 0;
		const work = async () => {
			computed++;
			return { rows: [] as unknown[] };
		};
		// A key of its own (no page is cached under it): the first call stores the entry, the rest find it.
		const check = () => cachedAnalysis(open.db, -1, 'bench:cache-check', work);
		for (let i = 0; i < warmUp; i++) await check();
		const wallMs: number[] = [];
		const cpu0 = process.cpuUsage();
		for (let i = 0; i < checks; i++) {
			const t = performance.now();
			await check();
			wallMs.push(performance.now() - t);
		}
		const cpu = process.cpuUsage(cpu0);
		// Every timed check must have been a hit: a miss would time the work, not the check.
		if (computed !== 1) throw new Error(`the cache check missed ${computed - 1} times (data written meanwhile?)`);
		wallMs.sort((a, b) => a - b);
		return { checks, wallMs, cpuMsPerCheck: (cpu.user + cpu.system) / 1000 / checks };
	} finally {
		if (saved === undefined) delete process.env.ANALYSIS_CACHE;
		else process.env.ANALYSIS_CACHE = saved;
		await open.close();
	}
}
