/**
 * /readyz fails while the server starts; /healthz stays a liveness check (issue 18).
 * The server's start-up is held back by TEST_STARTUP_DELAY_MS (standing in for a long migration), so the test can
 * watch it: it listens at once, /readyz says 503 "starting", /healthz says 200, and a submission sent meanwhile is
 * held, not refused, and stored once the database is open; then /readyz turns 200.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNLIMITED_SURVEY_ENV, type RunningServer } from './helpers/server';
import { startProductionBuild } from '../scripts/lib/server';
import { SLUG } from './helpers/consultation';
import { until } from './helpers/wait';

describe('readiness during start-up and shutdown', () => {
	let dir = '';
	let server: RunningServer;

	beforeAll(async () => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consult-ready-'));
		// As production runs it (scripts/serve-built.ts): the lean submissions route hands requests that arrive during
		// start-up to SvelteKit, which holds them until the database is open.
		server = await startProductionBuild(
			'build/index.js',
			{
				DATABASE_URL: `file:${path.join(dir, 'app.sqlite')}`,
				TEST_STARTUP_DELAY_MS: '4000',
				...UNLIMITED_SURVEY_ENV
			},
			{ until: 'listening' }
		);
	});
	afterAll(async () => {
		await server?.stop('SIGKILL');
		fs.rmSync(dir, { recursive: true, force: true });
	});

	it('is live but not ready while it starts, holds requests meanwhile, and is ready after', async () => {
		const readyz = await fetch(`${server.url}/readyz`);
		expect(readyz.status).toBe(503);
		expect(await readyz.text()).toBe('starting');
		const healthz = await fetch(`${server.url}/healthz`);
		expect(healthz.status).toBe(200);
		expect(await healthz.text()).toBe('starting');

		// Sent during start-up: waits for the database, then is stored.
		const id = randomUUID();
		const sent = fetch(`${server.url}/api/s/${SLUG}/submissions`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				id,
				district: 'bromsgrove',
				perspectives: [{ group: 'child', answers: { q1: 'A park near my house' } }],
				about: null
			})
		});
		expect((await fetch(`${server.url}/readyz`)).status).toBe(503);

		await until(async () => (await fetch(`${server.url}/readyz`)).status === 200, '/readyz says ready', 60_000);
		const answered = await sent;
		expect(answered.status).toBe(201);
		expect(((await answered.json()) as { id: string }).id).toBe(id);
		const live = await fetch(`${server.url}/healthz`);
		expect(live.status).toBe(200);
		expect(await live.text()).toBe('ok');
	});
});
