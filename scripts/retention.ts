// npm run retention [-- --dry-run]: delete every copy of the words of answers
// whose consultation is past its retention date, keeping counts and themes, then
// wipe the freed space (SQLite: WAL truncated and the file rebuilt by VACUUM;
// PostgreSQL: VACUUM of the tables touched).
import { openPrepared } from '../src/lib/server/bootstrap';
import { applyRetention } from '../src/lib/server/retention/retention';
import { runMain, UsageError } from './lib/cli';

runMain(async () => {
	const args = process.argv.slice(2);
	if (args.some((a) => a !== '--dry-run')) throw new UsageError('usage: npm run retention [-- --dry-run]');
	const dryRun = args.includes('--dry-run');
	const open = await openPrepared();
	try {
		// A scheduled job, so it can afford to rebuild the SQLite file (seconds on a large one).
		// Audited (retention.apply) with the purge, before the freed space is wiped, which may still fail.
		const result = await applyRetention(open.db, {
			dryRun,
			vacuum: true,
			audit: { userId: null, detail: 'npm run retention' }
		});
		if (result.consultations.length === 0) console.log('No consultation is past its retention date.');
		for (const c of result.consultations) {
			console.log(
				`${c.slug} (retain until ${c.retentionUntil}): ${c.answersCleared} answer texts ${dryRun ? 'would be deleted' : 'deleted'}, with every copy`
			);
		}
		if (!dryRun) {
			console.log(`${result.draftsDeleted} abandoned survey drafts deleted.`);
			const r = result.reclaim;
			if (r?.engine === 'sqlite') {
				console.log(
					// reclaimSpace throws when the log cannot be emptied, so reaching here means it was.
					`Freed space wiped: write-ahead log emptied, file rebuilt (${r.ms} ms).`
				);
			} else if (r)
				console.log(
					`Tables vacuumed: ${(r.vacuumed as string[]).join(', ')} (${r.ms} ms). Old copies remain in WAL archives and backups until they expire.`
				);
		}
	} finally {
		await open.close();
	}
});
