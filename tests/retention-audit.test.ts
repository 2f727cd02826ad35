import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { whereIsWord } from './helpers/marker-search';
import { getConsultation } from '../src/lib/server/consultations/queries';
import { applyRetention } from '../src/lib/server/retention/retention';
import { holdUpload, heldUpload, purgeExpiredUploads } from '../src/lib/server/import/store';
import { startSessionPurge } from '../src/lib/server/jobs/index';
import { SLUG } from './helpers/consultation';
import { addUser } from './helpers/users';

/**
 * The data-protection audit of issue #11, for the copies retention.test.ts does not plant: an officer's upload
 * held between its preview and its commit (table import_preview keeps the parsed cells, before any redaction,
 * for 30 minutes). After retention of its consultation, and after the hourly job once it has expired, the marker
 * must be nowhere: not in any text column, not in the SQLite file, not in its write-ahead log.
 */
describeEachEngine('retention audit: uploads held for preview', (engine) => {
	let fresh: FreshDb;
	let officer: number;
	let consultationId: number;

	beforeAll(async () => {
		fresh = await preparedDatabase(engine);
		officer = (await addUser(fresh.db, { email: 'o@x.gov.uk', role: 'admin', password: 'password-long-1' }, null)).id;
		consultationId = (await getConsultation(fresh.db, SLUG))!.id;
	});
	afterAll(() => fresh?.drop());

	const hold = (word: string) =>
		holdUpload(fresh.db, {
			userId: officer,
			consultationId,
			filename: 'responses.csv',
			hash: 'h',
			sheet: {
				format: 'csv',
				headers: ['group', 'question', 'text'],
				rows: [{ rowNumber: 2, cells: ['child', 'q1', `My name is ${word} and my dad hits me`] }]
			}
		});

	it('the hourly job deletes expired uploads, and their words leave the files', async () => {
		const word = 'Glimmerwold';
		const token = await hold(word);
		expect(await whereIsWord(fresh, engine, word)).toContain('import_preview.sheet');
		// Not yet expired: the job keeps it.
		expect(await purgeExpiredUploads(fresh.db)).toBe(0);
		expect(await heldUpload(fresh.db, token, officer)).not.toBeNull();
		await fresh.db
			.updateTable('import_preview')
			.set({ expires_at: Date.now() - 1 })
			.where('token', '=', token)
			.execute();
		const stop = startSessionPurge(fresh.db, 60 * 60_000);
		await stop();
		expect(await whereIsWord(fresh, engine, word)).toEqual([]);
	});

	it('retention deletes the consultation uploads held for preview, and their words leave the files', async () => {
		const word = 'Brindlequay';
		const token = await hold(word);
		expect(await whereIsWord(fresh, engine, word)).toContain('import_preview.sheet');
		const result = await applyRetention(fresh.db, { now: new Date('2028-01-01T12:00:00Z') });
		expect(result.consultations.map((c) => c.slug)).toEqual([SLUG]);
		expect(await heldUpload(fresh.db, token, officer)).toBeNull();
		expect(await whereIsWord(fresh, engine, word)).toEqual([]);
	});
});
