/**
 * The submission timeline (survey/submit-trace.ts, SUBMIT_TRACE=1; docs/deployment.md, twenty-second round): each
 * submission that comes through the lean route carries its own times (body read, validated, queued, answer
 * written), and its batch keeps them beside the batch's steps, so the bench can tell per submission where the time
 * from its body to its answer went. Off (the default), nothing is recorded.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { SLUG } from './helpers/consultation';
import { submitResponse } from '../src/lib/server/survey/submit';
import { takeBatches, traceSubmission } from '../src/lib/server/survey/submit-trace';

const body = () => ({
	id: randomUUID(),
	district: 'wychavon',
	perspectives: [{ group: 'young_person', answers: { q1: 'Somewhere safe to meet friends' } }],
	about: { ageBand: '18-24' }
});

describeEachEngine('the submission timeline (SUBMIT_TRACE=1)', (engine) => {
	const before = process.env.SUBMIT_TRACE;
	let fresh: FreshDb;

	beforeAll(async () => {
		fresh = await preparedDatabase(engine);
	}, 120_000);
	afterAll(async () => {
		if (before === undefined) delete process.env.SUBMIT_TRACE;
		else process.env.SUBMIT_TRACE = before;
		takeBatches();
		await fresh?.drop();
	});

	it('keeps each submission’s own times, in order, with its batch’s steps', async () => {
		process.env.SUBMIT_TRACE = '1';
		takeBatches();
		const prior = performance.now();
		const results = await Promise.all(
			[1, 2, 3].map(() => traceSubmission(prior, () => submitResponse(fresh.db, SLUG, body())))
		);
		expect(results.map((r) => r.kind)).toEqual(['created', 'created', 'created']);
		const subs = takeBatches().flatMap((b) => (b.subs ?? []).map((t) => ({ t: t!, b })));
		expect(subs).toHaveLength(3);
		for (const { t, b } of subs) {
			expect(t.prior).toBe(prior);
			expect(t.received).toBeGreaterThanOrEqual(prior);
			expect(t.validated).toBeGreaterThanOrEqual(t.received);
			expect(t.queued).toBeGreaterThanOrEqual(t.validated!);
			expect(b.marks.begin[0]).toBeGreaterThanOrEqual(t.queued!);
			expect(b.marks.settled[0]).toBeGreaterThanOrEqual(b.marks.begin[0]);
			if (engine === 'sqlite') expect(b.marks.syncEnd[0]).toBeGreaterThanOrEqual(b.marks.begin[0]);
		}
	});

	it('records nothing when off', async () => {
		delete process.env.SUBMIT_TRACE;
		takeBatches();
		const r = await traceSubmission(undefined, (t) => {
			expect(t).toBeNull();
			return submitResponse(fresh.db, SLUG, body());
		});
		expect(r.kind).toBe('created');
		expect(takeBatches()).toEqual([]);
	});
});
