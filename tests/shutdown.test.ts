import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startProductionBuild } from '../scripts/lib/server';
import {
	snapshotBuild,
	waitExit,
	UNLIMITED_SURVEY_ENV,
	type BuildSnapshot,
	type RunningServer
} from './helpers/server';
import { until } from './helpers/wait';
import { SLUG } from './helpers/consultation';
import { openDatabase } from '../src/lib/server/db/connect';
import { parseDatabaseUrl } from '../src/lib/server/db/config';
import { describeEachEngine, emptyDatabase, TEST_DATABASE_URL, type FreshDb } from './helpers/databases';

/**
 * SIGTERM (what systemd, Docker and `kill` send): adapter-node stops accepting,
 * lets requests in flight finish, then emits 'sveltekit:shutdown', on which the
 * hooks close the database. A respondent pressing "Send" as the server restarts
 * must get an answer; the SQLite file must be left whole and checkpointed, and
 * no PostgreSQL connection left behind.
 */
// CRASH_APP_DIR points the test at another checkout's build (to see it fail on a broken one).
const appDir = process.env.CRASH_APP_DIR ?? process.cwd();

/** Whether a new connection to the port is refused (nothing listens there any more). */
function refusing(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		socket.once('connect', () => {
			socket.destroy();
			resolve(false);
		});
		socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
	});
}

describeEachEngine('graceful shutdown on SIGTERM', (engine) => {
	let fresh: FreshDb;
	let build: BuildSnapshot;
	let server: RunningServer | null = null;

	beforeAll(async () => {
		fresh = await emptyDatabase(engine);
		// The server must be the only one holding the database.
		await fresh.close();
		build = snapshotBuild(appDir);
	});
	afterAll(async () => {
		await server?.stop('SIGKILL', 5000);
		build?.cleanup();
		await fresh?.drop();
	});

	it(
		'finishes the requests in flight, exits 0 within seconds and closes the database',
		{ timeout: 60_000 },
		async () => {
			const config = parseDatabaseUrl(fresh.url);
			// As production runs it (scripts/serve-built.ts): submissions go through the lean route (survey/lean-http.ts).
			server = await startProductionBuild(
				build.entry,
				{ ...UNLIMITED_SURVEY_ENV, DATABASE_URL: fresh.url },
				{ cwd: appDir }
			);
			const port = server.port;
			const body = (id: string) =>
				JSON.stringify({
					id,
					district: 'redditch',
					perspectives: [{ group: 'child', answers: { q1: `Shutdown test ${id}` } }],
					about: null
				});
			const options = (length: number): http.RequestOptions => ({
				host: '127.0.0.1',
				port,
				method: 'POST',
				path: `/api/s/${SLUG}/submissions`,
				agent: false,
				headers: {
					'content-type': 'application/json',
					'content-length': length,
					origin: `http://127.0.0.1:${port}`,
					// The server answers "100 Continue" once it has read the request line and
					// headers: from then on the request is provably in its hands (in flight).
					// Before that the connection may still wait in the kernel's accept queue,
					// and closing the listening socket at shutdown resets those.
					expect: '100-continue'
				}
			});

			type Outcome = { id: string; status?: number; error?: string };
			interface Pending {
				id: string;
				/** The server had read the headers (it sent 100 Continue). */
				accepted: boolean;
				done: Promise<Outcome>;
			}
			const inFlight = new Map<string, Pending>();
			const outcomes: Outcome[] = [];
			/** Sends one submission; `write` sends the body once the server asks for it. */
			const send = (id: string, write: (req: http.ClientRequest, text: string) => void): Pending => {
				const text = body(id);
				const pending: Pending = { id, accepted: false, done: undefined as unknown as Promise<Outcome> };
				pending.done = new Promise<Outcome>((resolve) => {
					const req = http.request(options(Buffer.byteLength(text)), (res) => {
						res.resume();
						res.on('end', () => resolve({ id, status: res.statusCode }));
						res.on('error', (e: NodeJS.ErrnoException) => resolve({ id, error: e.code ?? e.message }));
					});
					req.on('continue', () => {
						pending.accepted = true;
						write(req, text);
					});
					req.on('error', (e: NodeJS.ErrnoException) => resolve({ id, error: e.code ?? e.message }));
					req.flushHeaders();
				}).then((o) => {
					inFlight.delete(id);
					outcomes.push(o);
					return o;
				});
				inFlight.set(id, pending);
				return pending;
			};

			// A steady stream: 50 clients sending submissions one after another.
			let streaming = true;
			const workers = Array.from({ length: 50 }, async () => {
				while (streaming) await send(randomUUID(), (req, text) => req.end(text)).done;
			});
			// Slow uploads: half the body as soon as the server asks, the rest only after SIGTERM.
			const slow: { pending: Pending; finish: () => void }[] = [];
			for (let i = 0; i < 5; i++) {
				let finish = () => {};
				const pending = send(randomUUID(), (req, text) => {
					req.write(text.slice(0, 40));
					finish = () => req.end(text.slice(40));
				});
				slow.push({ pending, finish: () => finish() });
			}
			// Let the stream flow (20 submissions stored) with every slow upload under way.
			await until(
				() => outcomes.filter((o) => o.status === 201).length >= 20 && slow.every((s) => s.pending.accepted),
				'20 submissions are stored and the server has started every slow upload'
			);
			expect(
				outcomes.filter((o) => o.status === 201).length,
				'the stream was flowing before SIGTERM'
			).toBeGreaterThanOrEqual(20);
			expect(
				slow.every((s) => s.pending.accepted),
				'the server had started every slow upload'
			).toBe(true);

			const sigtermAt = performance.now();
			const accepted = [...inFlight.values()].filter((p) => p.accepted && !slow.some((s) => s.pending === p));
			const waiting = [...inFlight.values()].filter((p) => !p.accepted);
			streaming = false;
			const exited = waitExit(server.process, 20_000);
			server.process.kill('SIGTERM');
			// The slow uploads finish only once the server is shutting down: it has closed its
			// listening socket (a new connection is refused).
			await until(() => refusing(port), 'the server refuses new connections after SIGTERM', 10_000);
			const closedAfter = (performance.now() - sigtermAt) / 1000;
			for (const s of slow) s.finish();

			const acceptedResults = await Promise.all(accepted.map((p) => p.done));
			const slowResults = await Promise.all(slow.map((s) => s.pending.done));
			const waitingResults = await Promise.all(waiting.map((p) => p.done));
			const exit = await exited;
			const seconds = (performance.now() - sigtermAt) / 1000;
			await Promise.all(workers);

			expect(exit, `the server did not exit within 20 s of SIGTERM:\n${server.output()}`).not.toBeNull();
			expect.soft(exit, server.output()).toEqual({ code: 0, signal: null });
			expect.soft(seconds, 'seconds from SIGTERM to exit').toBeLessThan(5);

			// Every request the server had in hand when SIGTERM arrived got its answer, not a
			// reset, including uploads whose body was still arriving.
			expect
				.soft(
					acceptedResults.map((o) => o.status ?? o.error),
					'answers to requests in flight at SIGTERM'
				)
				.toEqual(acceptedResults.map(() => 201));
			expect
				.soft(
					slowResults.map((o) => o.status ?? o.error),
					'answers to uploads finished after SIGTERM'
				)
				.toEqual(slow.map(() => 201));

			if (config.kind === 'sqlite') {
				// The database was closed: the WAL was checkpointed into the main file and removed.
				const wal = `${config.path}-wal`;
				expect.soft(fs.existsSync(wal) ? fs.statSync(wal).size : 0, 'bytes left in the -wal file').toBe(0);
			} else {
				// The pool was closed: PostgreSQL has no session left on this database.
				const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
				await admin.connect();
				try {
					const name = new URL(fresh.url).pathname.slice(1);
					const { rows } = await admin.query('select count(*)::int as n from pg_stat_activity where datname = $1', [
						name
					]);
					expect.soft(rows[0].n, 'PostgreSQL sessions left open').toBe(0);
				} finally {
					await admin.end();
				}
			}

			// A client whose request was refused resends it (same id) once the server is
			// back: it is stored once, and everything acknowledged is there exactly once.
			const refused = waitingResults.filter((o) => o.status === undefined).map((o) => o.id);
			console.log(
				`shutdown test [${engine}]: exit ${exit?.code} ${seconds.toFixed(2)} s after SIGTERM (listening socket closed after ${closedAfter.toFixed(2)} s); ${accepted.length + slow.length} requests in hand all answered; ${refused.length} of ${waiting.length} still in the accept queue reset, resent below`
			);
			server = await startProductionBuild(
				build.entry,
				{ ...UNLIMITED_SURVEY_ENV, DATABASE_URL: fresh.url },
				{ port, cwd: appDir }
			);
			for (const id of refused) {
				const retry = send(id, (req, text) => req.end(text));
				const result = await retry.done;
				expect([200, 201], `retry of ${id}`).toContain(result.status);
			}
			await server.stop();
			const acknowledged = new Set(outcomes.filter((o) => o.status === 201 || o.status === 200).map((o) => o.id));
			const open = await openDatabase(config, { create: false });
			try {
				const rows = await open.db
					.selectFrom('submission')
					.leftJoin('perspective', 'perspective.submission_id', 'submission.id')
					// The ids the clients sent: a random one is kept in client_id under a time-ordered row id (lean50).
					.select([
						(eb) => eb.fn.coalesce('submission.client_id', 'submission.id').as('id'),
						(eb) => eb.fn.count<number>('perspective.id').as('perspectives')
					])
					.groupBy(['submission.id', 'submission.client_id'])
					.execute();
				const stored = new Map(rows.map((r) => [r.id, Number(r.perspectives)]));
				expect(
					[...acknowledged].filter((id) => !stored.has(id)),
					'acknowledged but missing'
				).toEqual([]);
				expect(
					rows.filter((r) => Number(r.perspectives) !== 1),
					'submissions without exactly one perspective'
				).toEqual([]);
			} finally {
				await open.close();
			}
			server = null;
		}
	);
});
