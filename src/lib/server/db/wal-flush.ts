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
 * fdatasync of an SQLite database's write-ahead log in libuv's thread pool, off the event loop, through a handle
 * kept open (opening and closing it for each sync cost as much as the sync on the event loop); a handle that
 * failed is dropped and the log opened again by name next time. The first sync also syncs the folder, so that a
 * log file created since the database was opened is found after a power cut (SQLite does the same for files it
 * creates when it syncs them itself). `close()` when the database closes.
 */
export function walSync(databaseFile: string): { sync: () => Promise<void>; close: () => Promise<void> } {
	let log: fs.FileHandle | null = null;
	let folderSynced = false;
	return {
		async sync() {
			log ??= await fs.open(`${databaseFile}-wal`, 'r');
			try {
				await log.datasync();
			} catch (error) {
				const failed = log;
				log = null;
				await failed.close().catch(() => {});
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
			await open?.close();
		}
	};
}
