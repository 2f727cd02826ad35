/**
 * The grouped commit on SQLite (survey/writer.ts) starts the next batch while the last one's log sync runs
 * (issue 18: the event loop no longer sits idle through each sync), and still answers each submission only once
 * a sync that started after its own commit has finished. The log's syncs are held here (FileHandle.datasync, the
 * call wal-flush.ts makes in the thread pool) and let go one at a time.
 */
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { sqlitePath } from './helpers/databases';
import { until } from './helpers/wait';
import { storedCount, writerInput as input, writerSuite } from './helpers/writer';
import { saveOnline } from '../src/lib/server/survey/writer';

describe('with WRITER_PIPELINE=1, grouped commits on SQLite overlap the last batch log sync, and answer only after their own', () => {
	const held: (() => void)[] = [];
	const suite = writerSuite('sqlite', {
		env: {
			WRITER_PIPELINE: '1', // off by default (src/lib/server/survey/writer.ts says why)
			SUBMIT_WRITER_THREAD: 'off' // the event loop's own commits (the writer thread has no pipeline)
		},
		// Hold every sync of the log from here on until the test lets it go.
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
	// Runs before the suite's afterAll (vitest runs after-hooks last registered first): the syncs let go, then the drop.
	afterAll(() => {
		vi.restoreAllMocks();
		for (const release of held) release();
	});
	const stored = (ids: string[]) => storedCount(suite.fresh.db, ids);

	it('commits the next batch while a sync runs; each batch is answered after a sync begun after its commit', async () => {
		const answered = new Set<string>();
		const send = (ids: string[]) =>
			ids.map((id, i) =>
				saveOnline(suite.fresh.db, suite.c, input(id, `Answer ${i}`)).then((r) => (answered.add(id), r))
			);

		const first = Array.from({ length: 3 }, () => randomUUID());
		const firstSent = send(first);
		await until(
			async () => held.length === 1 && (await stored(first)) === 3,
			'the first batch committed, its sync held'
		);

		const second = Array.from({ length: 3 }, () => randomUUID());
		const secondSent = send(second);
		// Committed while the first batch's sync is still held (before: the writer waited for that sync).
		await until(async () => (await stored(second)) === 3, 'the second batch committed during the first sync');
		expect(answered.size).toBe(0);

		held[0]();
		await Promise.all(firstSent);
		expect([...answered].sort()).toEqual([...first].sort());
		// The second batch waits for a sync that started after its commit, not for the one that just finished.
		await until(() => held.length === 2, 'a second sync');
		await new Promise((r) => setImmediate(r));
		expect(second.some((id) => answered.has(id))).toBe(false);

		held[1]();
		const results = await Promise.all(secondSent);
		expect(results.map((r) => r.status)).toEqual(['created', 'created', 'created']);
		expect(answered.size).toBe(6);
	});
});
