/**
 * "A writer on the main connection wants the write lock" (issue #19, helper code37), shared between the server's
 * main SQLite connection and the coder's writer thread (coding/writer-worker.ts) through a SharedArrayBuffer.
 *
 * The coder's writer thread keeps one transaction open across several chunks while nobody else wants to write, and
 * commits as soon as somebody does: the main connection raises this count just before it asks for the lock (BEGIN
 * IMMEDIATE, or a statement that writes outside a transaction: db/connect.ts) and lowers it once it has it (or has
 * given up), and wakes the writer thread (Atomics.notify), which commits at once if it is between two chunks, or
 * after the chunk it is writing. One count per database file (one Int32 at index 0), so every connection of this
 * process to that file shares it; other processes (a CLI command beside the server) are not seen.
 */

const wanted = new Map<string, Int32Array>();

/** The shared count of waiting writers for the SQLite file `file` (created on first use). */
export function writeWantedFlag(file: string): Int32Array {
	let flag = wanted.get(file);
	if (!flag) wanted.set(file, (flag = new Int32Array(new SharedArrayBuffer(4))));
	return flag;
}

/** Raises the count for `file` and wakes whoever waits on it; the function returned lowers it again (once). */
export function announceWrite(flag: Int32Array): () => void {
	Atomics.add(flag, 0, 1);
	Atomics.notify(flag, 0);
	let lowered = false;
	return () => {
		if (lowered) return;
		lowered = true;
		Atomics.sub(flag, 0, 1);
		Atomics.notify(flag, 0);
	};
}
