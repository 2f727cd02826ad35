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
	const start = (): Promise<void> => {
		const p = sync().finally(() => {
			if (running === p) running = null;
		});
		running = p;
		return p;
	};
	return () => {
		if (!running) return start();
		next ??= running
			.catch(() => {})
			.then(() => {
				next = null;
				return start();
			});
		return next;
	};
}

/**
 * fdatasync of an SQLite database's write-ahead log in libuv's thread pool, off the event loop. The first one
 * also syncs the folder, so that a log file created since the database was opened is found after a power cut
 * (SQLite does the same for files it creates when it syncs them itself).
 */
export function walSync(databaseFile: string): () => Promise<void> {
	let folderSynced = false;
	const syncFile = async (file: string, data: boolean) => {
		const handle = await fs.open(file, 'r');
		try {
			await (data ? handle.datasync() : handle.sync());
		} finally {
			await handle.close();
		}
	};
	return async () => {
		await syncFile(`${databaseFile}-wal`, true);
		if (!folderSynced) {
			await syncFile(path.dirname(path.resolve(databaseFile)), false);
			folderSynced = true;
		}
	};
}
