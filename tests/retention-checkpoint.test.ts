import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { preparedDatabase, type FreshDb } from './helpers/databases';
import { getConsultation } from '../src/lib/server/consultations/queries';
import { saveSubmission } from '../src/lib/server/submissions/save';
import { applyRetention, deleteByReference } from '../src/lib/server/retention/retention';
import { submissionSchema } from '../src/lib/schemas/submission';
import { checkpointersFor } from '../src/lib/server/db/checkpointer';
import { SLUG } from './helpers/consultation';
import { until } from './helpers/wait';

/**
 * SQLite's checkpoints run on a worker thread's own connection (db/checkpointer.ts). Retention and deletion on
 * request end with wal_checkpoint(TRUNCATE) on the server's connection, which cannot empty the log while the worker
 * checkpoints beside it: the deleted words' old pages would stay in the -wal file (a clean-clone CI run once found
 * one there). These tests hold the worker mid-checkpoint, and also race real checkpoints, and then read the raw
 * bytes of the database file and its log for the deleted word.
 */
describe.skipIf(process.env.SQLITE_FLUSH === 'inline' || process.env.SQLITE_CHECKPOINT === 'inline')(
	'deleting words while the checkpoint worker is busy leaves none in the SQLite file or its log',
	() => {
		let fresh: FreshDb;
		let file: string;
		beforeAll(async () => {
			fresh = await preparedDatabase('sqlite');
			file = fresh.url.replace(/^file:/, '');
		});
		afterAll(() => fresh?.drop());

		async function submit(text: string) {
			const c = (await getConsultation(fresh.db, SLUG))!;
			const input = submissionSchema.parse({
				id: randomUUID(),
				perspectives: [{ group: 'child', answers: { q1: text, q2: 'school' } }]
			});
			return saveSubmission(fresh.db, c, input, { channel: 'online' });
		}

		/** The files (database, log) whose raw bytes still hold `word`. */
		function filesHolding(word: string): string[] {
			return [file, `${file}-wal`].filter((f) => fs.existsSync(f) && fs.readFileSync(f).includes(word));
		}

		/**
		 * Runs `erase` with the worker held (a read snapshot on its connection, which keeps any other connection from
		 * emptying the log, as a checkpoint running there does; the checkpoint the erasure's commit starts stays in
		 * flight behind it). The hold ends once the eraser has paused the worker to wait for it, or has finished.
		 */
		async function eraseWhileHeld(erase: () => Promise<unknown>) {
			const [worker] = checkpointersFor(file);
			expect(worker, 'this process runs a checkpoint worker on the test database').toBeDefined();
			const hold = worker.holdForTest();
			await until(() => hold.holding(), 'the worker holds its checkpoint');
			let settled = false;
			const erasing = erase().finally(() => (settled = true));
			// Let the worker go once the eraser has paused it and waits for the checkpoint in flight (or has given up).
			await until(() => hold.pausedSince() || settled, 'the eraser waits for the checkpoint in flight');
			hold.release();
			await erasing;
		}

		it('deletion on request, with the worker held mid-checkpoint', async () => {
			const word = 'Gravelwisp';
			const s = await submit(`${word} is what they call me`);
			expect(filesHolding(word).length).toBeGreaterThan(0);
			await eraseWhileHeld(() => deleteByReference(fresh.db, s.reference));
			expect(filesHolding(word)).toEqual([]);
		});

		it('retention, with the worker held mid-checkpoint', async () => {
			const word = 'Thistlebrook';
			await submit(`${word} park after dark`);
			expect(filesHolding(word).length).toBeGreaterThan(0);
			await eraseWhileHeld(() => applyRetention(fresh.db, { now: new Date('2028-01-01T12:00:00Z') }));
			expect(filesHolding(word)).toEqual([]);
		});

		it('deletion on request beside a stream of submissions, each of which starts a real checkpoint (12 rounds)', async () => {
			const filler = 'lorem ipsum '.repeat(160);
			for (let round = 0; round < 12; round++) {
				const word = `Quarrelfinch${round}q`;
				const s = await submit(`${word} told me`);
				// Other respondents go on submitting: their commits start worker checkpoints while the deletion runs.
				const others = Array.from({ length: 20 }, () => submit(filler));
				expect(await deleteByReference(fresh.db, s.reference)).not.toBeNull();
				await Promise.all(others);
				expect(filesHolding(word), `round ${round}`).toEqual([]);
			}
		});

		it('throws, rather than report the words gone, when another connection keeps the log from being emptied', async () => {
			const word = 'Hollowmarsh';
			const s = await submit(`${word} near the canal`);
			// Another process's reader (a backup, a CLI) is out of the worker's reach: it holds a snapshot.
			const reader = new Database(file, { readonly: true });
			try {
				reader.exec('begin');
				reader.prepare('select count(*) from submission').get();
				await expect(deleteByReference(fresh.db, s.reference, { patienceMs: 200 })).rejects.toThrow(
					/Could not empty the SQLite write-ahead log/
				);
				expect(filesHolding(word).length).toBeGreaterThan(0);
			} finally {
				reader.close();
			}
			// What the message says to do: retention empties the log even when nothing is due.
			await applyRetention(fresh.db, { now: new Date('2020-01-01T00:00:00Z'), vacuum: true });
			expect(filesHolding(word)).toEqual([]);
		});
		it('audits every purge that committed, even when emptying the log then fails', async () => {
			const word = 'Brackenmoor';
			const s = await submit(`${word} by the lock`);
			// Another answer for retention to clear (the first is gone with its submission).
			await submit(`${word} again, later`);
			const audited = (action: string) =>
				fresh.db
					.selectFrom('audit_log')
					.select(['entity_id', 'after', 'before'])
					.where('action', '=', action)
					.execute();
			const reader = new Database(file, { readonly: true });
			try {
				reader.exec('begin');
				reader.prepare('select count(*) from submission').get();
				await expect(
					deleteByReference(fresh.db, s.reference, { patienceMs: 200, audit: { userId: null } })
				).rejects.toThrow(/Could not empty the SQLite write-ahead log/);
				await expect(
					applyRetention(fresh.db, {
						now: new Date('2028-01-01T12:00:00Z'),
						patienceMs: 200,
						audit: { userId: null, detail: 'test' }
					})
				).rejects.toThrow(/Could not empty the SQLite write-ahead log/);
			} finally {
				reader.close();
			}
			// Both purges committed, and each has its audit row.
			expect(
				await fresh.db.selectFrom('submission').select('id').where('id', '=', s.id).executeTakeFirst()
			).toBeUndefined();
			expect((await audited('submission.delete_on_request')).map((r) => r.entity_id)).toContain(s.id);
			const runs = await audited('retention.apply');
			expect(runs).toHaveLength(1);
			const cleared = JSON.parse(runs[0].after!).consultations;
			expect(cleared).toEqual([expect.objectContaining({ slug: SLUG, answersCleared: expect.any(Number) })]);
			expect(cleared[0].answersCleared).toBeGreaterThan(0);
			await applyRetention(fresh.db, { now: new Date('2020-01-01T00:00:00Z'), vacuum: true });
			expect(filesHolding(word)).toEqual([]);
		});
	}
);
