// npm run seed:demo: about 2,600 demo submissions matching the Worcestershire
// 2017 published tallies, marked as demo data. Safe to run twice.
import { openPrepared } from '../src/lib/server/bootstrap';
import { describe } from '../src/lib/server/db/config';
import { loadDemo } from '../src/lib/server/demo/load';
import { runMain } from './lib/cli';

runMain(async () => {
	const open = await openPrepared();
	try {
		const started = performance.now();
		const result = await loadDemo(open.db);
		const seconds = ((performance.now() - started) / 1000).toFixed(1);
		console.log(
			`Demo data (${describe(open.config)}): ${result.created} submissions added, ${result.alreadyThere} already there, ${result.sessions} collection sessions, in ${seconds} s.`
		);
	} finally {
		await open.close();
	}
});
