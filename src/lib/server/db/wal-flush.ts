import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Group flushing: `flush()` resolves once one `sync()` that started after the call has finished, so
 * everything written before the call is on disk. Calls made while a sync runs share one more sync after it
 * (that sync may have started before their write), so a burst of commits costs two syncs, not one each.
 */
export function groupFlusher(sync: () => Promise<void>): () => Promise<void> {
	let running: Promise<void> | null = null;
	let next: Promise<void> | null = null;
	let overlapping = 0;
	const start = (): Promise<void> => {
		const p = sync().finally(() => {
			if (running === p) running = null;
		});
		running = p;
		return p;
	};
	return () => {
		if (!running) return start();
		// SQLITE_SYNC_OVERLAP=1: a call made while a sync runs starts its own at once, beside it, instead of waiting
		// for the running one to end and then sharing the next (at most MAX_OVERLAPPING at once; the thread pool
		// has four threads). Either way the sync that serves a call started after it, so what was written before the
		// call is on disk when it resolves. With the pipelined writer (WRITER_PIPELINE) a batch that commits during
		// the last one's sync then waits for one sync, not the rest of that one and then its own (twentieth round).
		if (process.env.SQLITE_SYNC_OVERLAP === '1' && overlapping < MAX_OVERLAPPING) {
			overlapping++;
			return sync().finally(() => overlapping--);
		}
		next ??= running
			.catch(() => {})
			.then(() => {
				next = null;
				return start();
			});
		return next;
	};
}

/** The most syncs started beside a running one at once (SQLITE_SYNC_OVERLAP=1). */
export const MAX_OVERLAPPING = 2;

/**
 * fdatasync of an SQLite database's write-ahead log in libuv's thread pool, off the event loop, through a handle
 * kept open (opening and closing it for each sync cost as much as the sync on the event loop); a handle that
 * failed is dropped and the log opened again by name next time. The first sync also syncs the folder, so that a
 * log file created since the database was opened is found after a power cut (SQLite does the same for files it
 * creates when it syncs them itself). `close()` when the database closes.
 */
export function walSync(databaseFile: string): { sync: () => Promise<void>; close: () => Promise<void> } {
	// The handle's opening, shared by syncs that overlap (SQLITE_SYNC_OVERLAP), so the log is opened once.
	let log: Promise<fs.FileHandle> | null = null;
	let folderSynced = false;
	return {
		async sync() {
			const opening = (log ??= fs.open(`${databaseFile}-wal`, 'r'));
			let handle: fs.FileHandle;
			try {
				handle = await opening;
				await handle.datasync();
			} catch (error) {
				if (log === opening) log = null;
				await opening.then((h) => h.close()).catch(() => {});
				throw error;
			}
			if (!folderSynced) {
				const folder = await fs.open(path.dirname(path.resolve(databaseFile)), 'r');
				try {
					await folder.sync();
				} finally {
					await folder.close();
				}
				folderSynced = true;
			}
		},
		async close() {
			const open = log;
			log = null;
			await open?.then((h) => h.close()).catch(() => {});
		}
	};
}
