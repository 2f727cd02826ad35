/**
 * WRITER_PIPELINE=halves (survey/writer.ts, drainHalves; docs/deployment.md, twentieth round): on SQLite the
 * submissions queued together are stored in two halves, the second committed while the first one's log sync runs,
 * and each half is still answered only once a sync that started after its own commit has finished. The log's syncs
 * are held here (FileHandle.datasync, the call wal-flush.ts makes in the thread pool) and let go one at a time.
 */
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { sqlitePath } from './helpers/databases';
import { until } from './helpers/wait';
import { storedCount, writerInput as input, writerSuite } from './helpers/writer';
import { groupedCommits, saveOnline } from '../src/lib/server/survey/writer';

describe('with WRITER_PIPELINE=halves, a burst is stored in two halves, the second during the first one sync', () => {
	const held: (() => void)[] = [];
	const suite = writerSuite('sqlite', {
		env: { WRITER_PIPELINE: 'halves', SUBMIT_WRITER_THREAD: 'off', SQLITE_SYNC_OVERLAP: '0' },
		before: async ({ fresh }) => {
			const handle = await fs.promises.open(sqlitePath(fresh), 'r');
			const proto = Object.getPrototypeOf(handle) as { datasync: () => Promise<void> };
			await handle.close();
			const datasync = proto.datasync;
			vi.spyOn(proto, 'datasync').mockImplementation(function (this: unknown) {
				return new Promise<void>((resolve) => held.push(resolve)).then(() => datasync.call(this));
			});
		}
	});
	afterAll(() => {
		vi.restoreAllMocks();
		for (const release of held) release();
	});

	it('commits both halves while the first sync is held, and answers each only after a sync begun after its commit', async () => {
		const db = suite.fresh.db;
		const commitsBefore = groupedCommits(db);
		const answered = new Set<string>();
		const ids = Array.from({ length: 6 }, () => randomUUID());
		const sent = ids.map((id, i) =>
			saveOnline(db, suite.c, input(id, `Answer ${i}`)).then((r) => (answered.add(id), r))
		);
		await until(
			async () => held.length === 1 && (await storedCount(db, ids)) === 6,
			'both halves committed while the first sync is held'
		);
		expect(groupedCommits(db) - commitsBefore).toBe(2);
		expect(await storedCount(db, ids.slice(0, 3))).toBe(3);
		expect(answered.size).toBe(0);

		held[0]();
		await Promise.all(sent.slice(0, 3));
		expect([...answered].sort()).toEqual(ids.slice(0, 3).sort());
		// The second half waits for a sync that started after its commit, not the one that just finished.
		await until(() => held.length === 2, 'a second sync');
		await new Promise((r) => setImmediate(r));
		expect(ids.slice(3).some((id) => answered.has(id))).toBe(false);

		held[1]();
		const results = await Promise.all(sent);
		expect(results.map((r) => r.status)).toEqual(Array(6).fill('created'));
		// A resend of a stored one is a replay, not a second row.
		vi.restoreAllMocks();
		expect((await saveOnline(db, suite.c, input(ids[0], 'Answer 0'))).status).toBe('replayed');
		expect(await storedCount(db, ids)).toBe(6);
	});
});
