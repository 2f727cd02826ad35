import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { startBuiltServer } from '../../tests/helpers/server';
import { openDatabase } from '../../src/lib/server/db/connect';
import { prepareDatabase } from '../../src/lib/server/bootstrap';
import { createUser } from '../../src/lib/server/users/index';
import { addLocation } from '../../src/lib/server/entry/locations';
import { startSession } from '../../src/lib/server/entry/sessions';

const BATCH = 50;
const BATCHES = 40;

/** Entries per second through POST /api/entry/sync in batches of 50, on the built server with SQLite (loopback). */
export async function run(log: (line: string) => void): Promise<void> {
	if (!fs.existsSync('build/index.js')) throw new Error('build/index.js is missing: run `npx vite build` first');
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consult-bench-entry-'));
	const file = path.join(dir, 'bench.sqlite');
	const open = await openDatabase({ kind: 'sqlite', path: file });
	await prepareDatabase(open);
	const user = await createUser(
		open.db,
		{ email: 'bench@entry.test', role: 'entry', password: 'bench-password-1' },
		null
	);
	const loc = await addLocation(
		open.db,
		{ name: 'Bench Library', district: null, kind: 'library' },
		new Set(),
		user.id
	);
	const c = await open.db.selectFrom('consultation').select('id').executeTakeFirstOrThrow();
	const sessionId = await startSession(
		open.db,
		{ consultationId: c.id, locationId: loc.id, date: '2017-06-05', channel: 'library', question: 'all', group: '' },
		{ id: user.id, role: 'entry' }
	);
	await open.close();
	const server = await startBuiltServer({ DATABASE_URL: `file:${file}` });
	try {
		const login = await fetch(`${server.url}/login`, {
			method: 'POST',
			redirect: 'manual',
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, accept: 'text/html' },
			body: new URLSearchParams({ email: 'bench@entry.test', password: 'bench-password-1' })
		});
		const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
		if (!cookie.startsWith('session=')) throw new Error(`login failed (${login.status})`);
		const batches = Array.from({ length: BATCHES }, (_, b) =>
			Array.from({ length: BATCH }, (_, i) => ({
				id: randomUUID(),
				sessionId,
				questionKey: `q${((b + i) % 5) + 1}`,
				group: i % 3 === 0 ? null : 'young_person',
				district: null,
				text: `Leaf ${b * BATCH + i}: more places for young people to meet, and buses that run later in the evening`
			}))
		);
		const send = async (entries: unknown[]) => {
			const res = await fetch(`${server.url}/api/entry/sync`, {
				method: 'POST',
				headers: { cookie, origin: server.url, 'content-type': 'application/json' },
				body: JSON.stringify({ entries })
			});
			if (!res.ok) throw new Error(`sync answered ${res.status}`);
			return (await res.json()) as { accepted: string[]; duplicates: string[]; rejected: unknown[] };
		};
		const latencies: number[] = [];
		let t = performance.now();
		let accepted = 0;
		for (const b of batches) {
			const s = performance.now();
			accepted += (await send(b)).accepted.length;
			latencies.push(performance.now() - s);
		}
		let ms = performance.now() - t;
		latencies.sort((a, b) => a - b);
		log(
			`new entries, one device: ${accepted} in ${(ms / 1000).toFixed(2)} s = ${((accepted / ms) * 1000).toFixed(0)} entries/s (batch of ${BATCH}: median ${latencies[latencies.length >> 1].toFixed(0)} ms, p95 ${latencies[Math.floor(latencies.length * 0.95)].toFixed(0)} ms)`
		);

		t = performance.now();
		let dup = 0;
		for (const b of batches) dup += (await send(b)).duplicates.length;
		ms = performance.now() - t;
		log(`resending the same ${dup} entries (all answered as duplicates): ${((dup / ms) * 1000).toFixed(0)} entries/s`);

		const more = Array.from({ length: BATCHES }, () => batches[0].map((e) => ({ ...e, id: randomUUID() })));
		t = performance.now();
		let parallel = 0;
		for (let i = 0; i < more.length; i += 4) {
			const results = await Promise.all(more.slice(i, i + 4).map(send));
			parallel += results.reduce((a, r) => a + r.accepted.length, 0);
		}
		ms = performance.now() - t;
		log(
			`new entries, 4 devices at once: ${parallel} in ${(ms / 1000).toFixed(2)} s = ${((parallel / ms) * 1000).toFixed(0)} entries/s`
		);
		const check = await openDatabase({ kind: 'sqlite', path: file });
		const n = await check.db
			.selectFrom('submission')
			.select((eb) => eb.fn.countAll().as('n'))
			.executeTakeFirstOrThrow();
		await check.close();
		log(`stored: ${Number(n.n)} submissions (expected ${accepted + parallel}: none doubled)`);
	} finally {
		await server.stop();
		fs.rmSync(dir, { recursive: true, force: true });
	}
}
