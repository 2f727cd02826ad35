import { afterAll, afterEach, beforeAll, beforeEach, expect, it, describe, vi } from 'vitest';
import { preparedDatabase, type FreshDb } from './helpers/databases';

// Which coding passes the server asks for, and when: the queue itself is tested in coding-queue.test.ts.
const requested: { at: number; kind: string }[] = [];
vi.mock('../src/lib/server/coding/queue', async (original) => ({
	...(await original<typeof import('../src/lib/server/coding/queue')>()),
	requestCodingJob: vi.fn(async (_db: unknown, job: { kind: string }) => {
		requested.push({ at: Date.now(), kind: job.kind });
	}),
	claimCodingJob: vi.fn(async () => null)
}));

const DELAY = 2000;
const MAX_DEFER = 30_000;

describe('background coding of new answers backs off while submissions arrive fast', () => {
	let fresh: FreshDb;
	let coding: typeof import('../src/lib/server/coding/index');
	beforeAll(async () => {
		Object.assign(process.env, {
			CODING_DELAY_MS: String(DELAY),
			CODING_MAX_DEFER_MS: String(MAX_DEFER),
			CODING_BUSY_PER_SECOND: '5'
		});
		vi.resetModules();
		coding = await import('../src/lib/server/coding/index');
		fresh = await preparedDatabase('sqlite');
	});
	afterAll(async () => {
		for (const k of ['CODING_DELAY_MS', 'CODING_MAX_DEFER_MS', 'CODING_BUSY_PER_SECOND']) delete process.env[k];
		await fresh?.drop();
	});

	let start = 0;
	beforeEach(async () => {
		vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
		await coding.startBackgroundCoding(fresh.db);
		requested.length = 0; // the start-up request
		start = Date.now();
	});
	afterEach(async () => {
		const stopped = coding.stopBackgroundCoding(0);
		await vi.advanceTimersByTimeAsync(1);
		await stopped;
		vi.useRealTimers();
	});

	/** Submissions stored at `perSecond` for `ms`, the clock moving on between them. */
	async function stream(perSecond: number, ms: number) {
		const every = 1000 / perSecond;
		for (let t = 0; t < ms; t += every) {
			coding.scheduleCodingOfNewAnswers();
			await vi.advanceTimersByTimeAsync(every);
		}
	}
	const passes = () => requested.filter((r) => r.kind === 'uncoded').map((r) => r.at - start);

	it('codes a lone submission after the usual short delay', async () => {
		coding.scheduleCodingOfNewAnswers();
		await vi.advanceTimersByTimeAsync(DELAY - 10);
		expect(passes()).toEqual([]);
		await vi.advanceTimersByTimeAsync(20);
		expect(passes()).toEqual([DELAY]);
	});

	it('codes a slow trickle (under the busy rate) every short delay, as before', async () => {
		await stream(2, 10_000);
		expect(passes().length).toBeGreaterThanOrEqual(4);
	});

	it('under a steady stream codes in larger batches, never later than the bound after the first uncoded answer', async () => {
		await stream(50, 65_000);
		// Without the back-off a pass would be asked for every 2 s (32 of them); with it, one per bound.
		// (The second bound counts from the first answer after the first pass was asked for, in the same millisecond here.)
		expect(passes()).toEqual([MAX_DEFER, 2 * MAX_DEFER]);
	});

	it('codes soon after the rate drops, without waiting for the bound', async () => {
		await stream(50, 7000);
		expect(passes()).toEqual([]);
		await vi.advanceTimersByTimeAsync(2 * DELAY);
		const [first] = passes();
		expect(first).toBeGreaterThan(7000);
		expect(first).toBeLessThanOrEqual(7000 + 2 * DELAY);
	});
});
