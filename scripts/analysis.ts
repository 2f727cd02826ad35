// npm run analysis -- rebuild: recompute the analysis aggregates (answers per question × group ×
// district × channel, and per theme; submissions per district × channel × location × day,
// perspectives per group × district × channel, submissions per equality answers, answers per
// question × wording × coding state) from the data. The triggers keep them right as data
// changes; this is for after a restore, a bulk load with triggers off, or a check.
import { openPrepared } from '../src/lib/server/bootstrap';
import { describe } from '../src/lib/server/db/config';
import { rebuildAggregates } from '../src/lib/server/analysis/aggregates';
import { runMain, UsageError } from './lib/cli';

runMain(async () => {
	const [command] = process.argv.slice(2);
	if (command !== 'rebuild') throw new UsageError('usage: npm run analysis -- rebuild');
	const open = await openPrepared();
	try {
		const started = performance.now();
		const r = await rebuildAggregates(open.db);
		console.log(
			`${describe(open.config)}: rebuilt the analysis aggregates (${Object.entries(r)
				.map(([t, n]) => `${t}: ${n.toLocaleString('en-GB')} rows`)
				.join(', ')}) in ${((performance.now() - started) / 1000).toFixed(1)} s.`
		);
	} finally {
		await open.close();
	}
});
