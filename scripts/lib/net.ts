import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/** Whether `port` on loopback can be listened on now. */
function listenable(port: number): Promise<number | null> {
	return new Promise((resolve) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', () => resolve(null));
		srv.listen(port, '127.0.0.1', () => {
			const { port: got } = srv.address() as net.AddressInfo;
			srv.close(() => resolve(got));
		});
	});
}

// Ports handed out by this process, so two servers started together get different ones.
const handedOut = new Set<number>();
// This process's claim files with their tokens, removed when it exits (a claim left behind is stale anyway).
const claimed = new Map<string, string>();
let cleanupHooked = false;
function forgetClaimsAtExit() {
	if (cleanupHooked) return;
	cleanupHooked = true;
	process.once('exit', () => {
		for (const [file, token] of claimed) {
			try {
				if (fs.readFileSync(file, 'utf8') === token) fs.rmSync(file, { force: true });
			} catch {
				/* gone */
			}
		}
	});
}

/**
 * A claim older than this is taken back even if its process still runs (a recycled pid, a process that hangs): a
 * claim only has to cover the moments between freePort() and the server's own listen(), after which the port is
 * simply not listenable.
 */
const CLAIM_TTL_MS = 30 * 60_000;

/** Where claims are kept: one file per port, `<port>.pid`, holding the claiming process's pid and a token. */
function claimDir(): string {
	return process.env.FREE_PORT_DIR ?? path.join(os.tmpdir(), 'consult-free-ports');
}

function alive(pid: number): boolean {
	if (!Number.isInteger(pid) || pid <= 0) return false;
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: it exists, it is another user's.
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** The claim's text if it is stale (its process is gone, or it is older than CLAIM_TTL_MS), else null. */
function staleClaim(file: string): string | null {
	let text: string;
	let mtime: number;
	try {
		text = fs.readFileSync(file, 'utf8');
		mtime = fs.statSync(file).mtimeMs;
	} catch {
		return null; // gone meanwhile: the next attempt creates it
	}
	const pid = Number(text.split(' ')[0]);
	// A claim being written is empty for a moment: it counts as live, unless it stays so past the TTL.
	if (text !== '' && !alive(pid)) return text;
	return Date.now() - mtime > CLAIM_TTL_MS ? text : null;
}

/**
 * Claims `port` for this process across processes: creates `<port>.pid` in the claim directory exclusively. A stale
 * claim is moved aside (an atomic rename) and the port claimed afresh; if what was moved aside is not the stale claim
 * read (another process reclaimed it in between), it is put back and the port left to that process.
 */
function claim(port: number, token: string): boolean {
	const dir = claimDir();
	const file = path.join(dir, `${port}.pid`);
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			fs.writeFileSync(file, token, { flag: 'wx' });
			claimed.set(file, token);
			forgetClaimsAtExit();
			return true;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
				fs.mkdirSync(dir, { recursive: true });
				continue;
			}
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		}
		const stale = staleClaim(file);
		if (stale === null) return false;
		const aside = `${file}.${randomBytes(6).toString('hex')}.stale`;
		try {
			fs.renameSync(file, aside);
		} catch {
			continue; // someone else moved it first: try to create it again
		}
		const moved = fs.readFileSync(aside, 'utf8');
		if (moved !== stale) {
			// A fresh claim, made between reading and moving: give it back (link fails if the port was claimed again).
			try {
				fs.linkSync(aside, file);
			} catch {
				/* claimed again by a third: it is theirs */
			}
			fs.rmSync(aside, { force: true });
			return false;
		}
		fs.rmSync(aside, { force: true });
	}
	return false;
}

function release(port: number, token: string): void {
	const file = path.join(claimDir(), `${port}.pid`);
	try {
		if (fs.readFileSync(file, 'utf8') === token) fs.rmSync(file, { force: true });
	} catch {
		/* not there */
	}
	claimed.delete(file);
}

/**
 * A free TCP port on loopback, for test and benchmark servers. With FREE_PORT_RANGE=FROM-TO (a shared machine
 * where each session keeps to its own ports) it is one from that range, else one the system offers.
 *
 * Test files run side by side in separate processes (vitest's workers), so a port is also claimed across processes
 * before it is handed out: a file `<port>.pid` in a shared directory (FREE_PORT_DIR, default
 * `$TMPDIR/consult-free-ports`), created exclusively, holding this process's pid. Another process skips a claimed port
 * until the claim is stale (its process has exited, or it is older than 30 minutes) and then takes it back. Claims
 * are kept until the process exits: the port is listened on by then, and this process never hands it out twice.
 */
export async function freePort(): Promise<number> {
	const token = `${process.pid} ${randomBytes(6).toString('hex')}`;
	const range = /^(\d+)-(\d+)$/.exec(process.env.FREE_PORT_RANGE ?? '');
	if (!range) {
		// The system's ports: it rarely offers the same one twice in a row, but two processes can be offered the
		// same one once the first closed its probe; a claimed one is skipped and another asked for.
		for (let tries = 0; tries < 100; tries++) {
			const port = await listenable(0);
			if (port === null) throw new Error('no free port on 127.0.0.1');
			if (handedOut.has(port) || !claim(port, token)) continue;
			handedOut.add(port);
			return port;
		}
		throw new Error(`no unclaimed port on 127.0.0.1 in 100 tries (claims in ${claimDir()})`);
	}
	for (let port = Number(range[1]); port <= Number(range[2]); port++) {
		if (handedOut.has(port) || !claim(port, token)) continue;
		if ((await listenable(port)) !== null) {
			handedOut.add(port);
			return port;
		}
		release(port, token); // another program listens there: not ours to keep
	}
	throw new Error(`no free port in FREE_PORT_RANGE=${process.env.FREE_PORT_RANGE} (claims in ${claimDir()})`);
}
