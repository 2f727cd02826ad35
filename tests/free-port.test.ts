// freePort (scripts/lib/net.ts) claims a port across processes, since test files run side by side in separate
// worker processes: two processes asking at the same time never get the same port, and a claim left by a process
// that has exited (or a very old one) is taken back.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../scripts/lib/net';

// Ports for this file: the top of the session's FREE_PORT_RANGE when there is one (a shared machine), else a fixed
// block; each test takes its own part, so this process's own memory of ports handed out does not carry over.
const session = /^(\d+)-(\d+)$/.exec(process.env.FREE_PORT_RANGE ?? '');
const TOP = session ? Number(session[2]) : 47_239;
const CHILDREN_RANGE = [TOP - 39, TOP - 28]; // 12 ports
const RECLAIM_RANGE = [TOP - 9, TOP - 6];

const NET = path.resolve('scripts/lib/net.ts');
let dir: string;
const env = { ...process.env };

beforeAll(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'free-port-'));
});
afterEach(() => {
	process.env.FREE_PORT_RANGE = env.FREE_PORT_RANGE;
	process.env.FREE_PORT_DIR = env.FREE_PORT_DIR;
	if (env.FREE_PORT_RANGE === undefined) delete process.env.FREE_PORT_RANGE;
	if (env.FREE_PORT_DIR === undefined) delete process.env.FREE_PORT_DIR;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A process that asks freePort for `count` ports, prints them, and keeps running until its stdin closes. */
function asker(count: number, range: number[]) {
	const code = `
import { freePort } from ${JSON.stringify(NET)};
const ports = [];
for (let i = 0; i < ${count}; i++) ports.push(await freePort());
console.log(JSON.stringify(ports));
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
`;
	const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
		env: { ...process.env, FREE_PORT_RANGE: `${range[0]}-${range[1]}`, FREE_PORT_DIR: dir },
		stdio: ['pipe', 'pipe', 'pipe']
	});
	let out = '';
	let err = '';
	child.stdout.on('data', (d) => (out += d));
	child.stderr.on('data', (d) => (err += d));
	const ports = new Promise<number[]>((resolve, reject) => {
		child.stdout.on('data', () => {
			if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]) as number[]);
		});
		child.once('exit', (c) => reject(new Error(`asker exited (${c}) before answering:\n${err}`)));
	});
	const exited = new Promise((r) => child.once('exit', r));
	return { ports, end: () => (child.stdin.end(), exited) };
}

describe('freePort across processes', () => {
	it('never gives two processes asking together the same port', async () => {
		const askers = [asker(3, CHILDREN_RANGE), asker(3, CHILDREN_RANGE), asker(3, CHILDREN_RANGE)];
		try {
			const got = (await Promise.all(askers.map((a) => a.ports))).flat();
			expect(got).toHaveLength(9);
			expect(new Set(got).size).toBe(9);
			for (const p of got) {
				expect(p).toBeGreaterThanOrEqual(CHILDREN_RANGE[0]);
				expect(p).toBeLessThanOrEqual(CHILDREN_RANGE[1]);
			}
		} finally {
			await Promise.all(askers.map((a) => a.end()));
		}
		// Each process removed its claims as it exited.
		expect(fs.readdirSync(dir).filter((f) => f.endsWith('.pid'))).toEqual([]);
	});

	it('takes back the claim of a process that has exited, and a very old one, but not a live one', async () => {
		const [from] = RECLAIM_RANGE;
		const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
		const deadPid = Number(dead.stdout.trim());
		expect(deadPid).toBeGreaterThan(0);
		// `from`: claimed by a live process (vitest's own); `from + 1`: by the exited one; `from + 2`: by a live
		// process, but two hours ago.
		fs.writeFileSync(path.join(dir, `${from}.pid`), `${process.ppid} live`);
		fs.writeFileSync(path.join(dir, `${from + 1}.pid`), `${deadPid} dead`);
		const old = path.join(dir, `${from + 2}.pid`);
		fs.writeFileSync(old, `${process.ppid} old`);
		const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
		fs.utimesSync(old, twoHoursAgo, twoHoursAgo);

		process.env.FREE_PORT_RANGE = `${RECLAIM_RANGE[0]}-${RECLAIM_RANGE[1]}`;
		process.env.FREE_PORT_DIR = dir;
		expect(await freePort()).toBe(from + 1);
		expect(await freePort()).toBe(from + 2);
		for (const p of [from + 1, from + 2])
			expect(fs.readFileSync(path.join(dir, `${p}.pid`), 'utf8')).toMatch(new RegExp(`^${process.pid} `));
		expect(fs.readFileSync(path.join(dir, `${from}.pid`), 'utf8')).toBe(`${process.ppid} live`);
	});
});
