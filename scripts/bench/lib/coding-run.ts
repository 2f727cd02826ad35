/**
 * Child process of the analysis bench: codes every answer of a database from scratch the way the
 * server does in the background (codeUncoded: the engine worker thread, in batches), and prints one
 * JSON line: answers coded, seconds, peak RSS of this process (MB, all threads), and the longest
 * pause of the main thread meanwhile (what a request arriving during coding would wait at most).
 * Usage: tsx scripts/bench/lib/coding-run.ts DATABASE_URL
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openDatabase } from '../../../src/lib/server/db/connect';
import { parseDatabaseUrl } from '../../../src/lib/server/db/config';
import { codeUncoded } from '../../../src/lib/server/coding/recode';
import { stopEngineThread } from '../../../src/lib/server/coding/engine';

const url = process.argv[2];
if (!url) throw new Error('usage: coding-run.ts DATABASE_URL');
const open = await openDatabase(parseDatabaseUrl(url));
try {
	// Forget earlier coding: every answer with words is new to the coder.
	await open.db.updateTable('answer').set({ coded_at: null }).where('text', 'is not', null).execute();
	const lag = monitorEventLoopDelay({ resolution: 10 });
	lag.enable();
	const t = performance.now();
	const cpu0 = process.cpuUsage();
	const coded = await codeUncoded(open.db);
	const seconds = (performance.now() - t) / 1000;
	lag.disable();
	console.log(
		JSON.stringify({
			coded,
			seconds: Math.round(seconds * 10) / 10,
			cpuSeconds: Math.round(((u) => u.user + u.system)(process.cpuUsage(cpu0)) / 1e5) / 10,
			peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
			longestPauseMs: Math.round(lag.max / 1e6)
		})
	);
} finally {
	await stopEngineThread();
	await open.close();
}
