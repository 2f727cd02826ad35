// npm run retention [-- --dry-run]: delete the words of answers whose consultation
// is past its retention date, keeping counts and themes.
import { openPrepared } from '../src/lib/server/bootstrap';
import { applyRetention } from '../src/lib/server/retention/retention';
import { audit } from '../src/lib/server/audit/index';
import { runMain, UsageError } from './lib/cli';

runMain(async () => {
	const args = process.argv.slice(2);
	if (args.some((a) => a !== '--dry-run')) throw new UsageError('usage: npm run retention [-- --dry-run]');
	const dryRun = args.includes('--dry-run');
	const open = await openPrepared();
	try {
		const result = await applyRetention(open.db, { dryRun });
		if (result.consultations.length === 0) console.log('No consultation is past its retention date.');
		for (const c of result.consultations) {
			console.log(`${c.slug} (retain until ${c.retentionUntil}): ${c.answersCleared} answer texts ${dryRun ? 'would be deleted' : 'deleted'}`);
		}
		if (!dryRun) {
			await audit(open.db, { userId: null, action: 'retention.apply', entity: 'consultation', after: result, detail: 'npm run retention' });
			console.log(`${result.draftsDeleted} abandoned survey drafts deleted.`);
		}
	} finally {
		await open.close();
	}
});
