import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import {
	claimCodingJob,
	finishCodingJob,
	leaseMs,
	renewCodingLease,
	requestCodingJob
} from '../src/lib/server/coding/queue';

describeEachEngine('background coding queue in the database', (engine) => {
	let fresh: FreshDb;
	const pg = engine === 'postgres';
	let q1: number;
	let q2: number;
	beforeAll(async () => {
		fresh = await preparedDatabase(engine);
		const qs = await fresh.db.selectFrom('question').select('id').orderBy('id').limit(2).execute();
		[q1, q2] = qs.map((q) => q.id);
	});
	afterAll(() => fresh?.drop());
	const rows = () => fresh.db.selectFrom('coding_job').selectAll().orderBy('id').execute();

	it('collapses repeated requests into one job, claimed by one worker while its lease lives', async () => {
		await fresh.db.deleteFrom('coding_job').execute();
		await requestCodingJob(fresh.db, { kind: 'question', questionId: q1 });
		await requestCodingJob(fresh.db, { kind: 'question', questionId: q1 });
		expect(await rows()).toHaveLength(1);
		const t = Date.now();
		const first = await claimCodingJob(fresh.db, pg, t);
		expect(first?.job).toEqual({ kind: 'question', questionId: q1 });
		expect(await claimCodingJob(fresh.db, pg, t + 10)).toBeNull();
		await finishCodingJob(fresh.db, first!);
		expect(await rows()).toHaveLength(0);
	});

	it('runs work asked for again during a run once more afterwards', async () => {
		await requestCodingJob(fresh.db, { kind: 'uncoded' });
		const claimed = (await claimCodingJob(fresh.db, pg))!;
		await requestCodingJob(fresh.db, { kind: 'uncoded' });
		await finishCodingJob(fresh.db, claimed);
		const again = await claimCodingJob(fresh.db, pg);
		expect(again?.job).toEqual({ kind: 'uncoded' });
		await finishCodingJob(fresh.db, again!);
		expect(await rows()).toHaveLength(0);
	});

	it('lets another worker take a job whose lease ran out (its holder died), and the old holder loses it', async () => {
		await requestCodingJob(fresh.db, { kind: 'question', questionId: q2 });
		const t = Date.now();
		const dead = (await claimCodingJob(fresh.db, pg, t))!;
		expect(await claimCodingJob(fresh.db, pg, t + leaseMs() - 1)).toBeNull();
		const taker = await claimCodingJob(fresh.db, pg, t + leaseMs() + 1);
		expect(taker?.id).toBe(dead.id);
		expect((await rows())[0].runs).toBe(2);
		// The lease is renewed while the job runs: still held after the first lease would have run out.
		expect(await renewCodingLease(fresh.db, taker!, t + 2 * leaseMs())).toBe(true);
		expect(await claimCodingJob(fresh.db, pg, t + 2 * leaseMs() + 10)).toBeNull();
		await finishCodingJob(fresh.db, taker!);
		expect(await rows()).toHaveLength(0);
	});

	it('gives two workers claiming at once different jobs', async () => {
		await requestCodingJob(fresh.db, { kind: 'question', questionId: q1 });
		await requestCodingJob(fresh.db, { kind: 'question', questionId: q2 });
		const [a, b] = await Promise.all([claimCodingJob(fresh.db, pg), claimCodingJob(fresh.db, pg)]);
		expect(a && b).toBeTruthy();
		expect(a!.id).not.toBe(b!.id);
		expect(await claimCodingJob(fresh.db, pg)).toBeNull();
		await finishCodingJob(fresh.db, a!);
		await finishCodingJob(fresh.db, b!, 60_000); // failed: kept, not claimable for a minute
		expect(await claimCodingJob(fresh.db, pg)).toBeNull();
		expect(await rows()).toHaveLength(1);
	});
});
