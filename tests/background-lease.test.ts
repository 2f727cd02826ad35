/**
 * Start-up work that several instances on one database must not all do (issue 18): scoring the answers stored
 * without a risk score is done by the one instance that holds its lease; the others skip it. Two connections to
 * one database stand for two instances (each passes its own holder name, as each process has its own id).
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDatabase, type OpenDb } from '../src/lib/server/db/connect';
import { parseDatabaseUrl } from '../src/lib/server/db/config';
import { submitResponse } from '../src/lib/server/survey/submit';
import { claimLease, releaseLease } from '../src/lib/server/jobs/lease';
import { BACKFILL_LEASE, backfillRiskScoresOnce } from '../src/lib/server/safeguarding/ranker';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { SLUG } from './helpers/consultation';

const ANSWERS = 3 * 40;

describeEachEngine('start-up scoring done by one instance', (engine) => {
	let fresh: FreshDb;
	let other: OpenDb;

	beforeEach(async () => {
		fresh = await preparedDatabase(engine);
		other = await openDatabase(parseDatabaseUrl(fresh.url));
		for (let i = 0; i < ANSWERS / 3; i++) {
			const r = await submitResponse(fresh.db, SLUG, {
				id: randomUUID(),
				district: 'wychavon',
				perspectives: [{ group: 'young_person', answers: { q1: `Answer ${i}`, q2: 'More buses', q3: 'Parks' } }],
				about: null
			});
			expect(r.kind).toBe('created');
		}
		// As if stored before risk scores existed.
		await fresh.db.updateTable('answer').set({ risk_score: null }).execute();
	}, 120_000);
	afterEach(async () => {
		await other?.close();
		await fresh?.drop();
	});

	const unscored = async () =>
		Number(
			(
				await fresh.db
					.selectFrom('answer')
					.select((eb) => eb.fn.countAll().as('n'))
					.where('risk_score', 'is', null)
					.executeTakeFirstOrThrow()
			).n
		);

	it('skips the scoring while another instance holds it, and does it once that instance lets go', async () => {
		expect(await claimLease(other.db, BACKFILL_LEASE, 60_000, Date.now(), 'instance-b')).toBe(true);
		expect(await backfillRiskScoresOnce(fresh.db, 50, 'instance-a')).toBeNull();
		expect(await unscored()).toBe(ANSWERS);
		await releaseLease(other.db, BACKFILL_LEASE, 'instance-b');
		expect(await backfillRiskScoresOnce(fresh.db, 50, 'instance-a')).toBe(ANSWERS);
		expect(await unscored()).toBe(0);
	});

	it('lets exactly one of two instances starting together do it', async () => {
		const results = await Promise.all([
			backfillRiskScoresOnce(fresh.db, 50, 'instance-a'),
			backfillRiskScoresOnce(other.db, 50, 'instance-b')
		]);
		expect([...results].sort()).toEqual([ANSWERS, null]);
		expect(await unscored()).toBe(0);
		// Let go at the end: the next start-up looks again (and finds nothing to do).
		expect(await backfillRiskScoresOnce(other.db, 50, 'instance-b')).toBe(0);
	});

	it('takes over the lease of an instance that died (its lease ran out)', async () => {
		expect(await claimLease(other.db, BACKFILL_LEASE, 1000, Date.now() - 60_000, 'died')).toBe(true);
		expect(await backfillRiskScoresOnce(fresh.db, 50, 'instance-a')).toBe(ANSWERS);
		expect(await unscored()).toBe(0);
	});
});
