/**
 * Stored risk scores go stale when the screen or its built-in model changes (issue #10): each answer records the
 * scoring version that scored it (answer.risk_version), and the background job rescores answers with no version
 * or an older one, so the reading list is ordered by current scores. A stale score is replaced; a flag is never
 * removed; a flag the current screen gives and the answer lacks is raised; a newer version's score is left alone.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { submitResponse } from '../src/lib/server/survey/submit';
import { backfillRiskScores, backfillRiskScoresOnce } from '../src/lib/server/safeguarding/ranker';
import { readingList } from '../src/lib/server/safeguarding/reading';
import { screenAnswer } from '../src/lib/safeguarding/index';
import { SCORING_VERSION } from '../src/lib/safeguarding/version';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { SLUG } from './helpers/consultation';
import { flagAnswer } from './helpers/flags';

// Two unflagged answers the current screen scores apart, one it flags, one it does not flag at all.
const LOW = 'More buses to town please';
const HIGH = 'i get bored at home';
const DISCLOSURE = 'my step dad hits me when mum is at work';
const ORDINARY = 'A bigger skate park';

describeEachEngine('stale risk scores are rescored in the background', (engine) => {
	let fresh: FreshDb;
	const ids = new Map<string, number>();

	beforeEach(async () => {
		fresh = await preparedDatabase(engine);
		const r = await submitResponse(fresh.db, SLUG, {
			id: randomUUID(),
			district: 'wychavon',
			perspectives: [{ group: 'young_person', answers: { q1: LOW, q2: HIGH, q3: DISCLOSURE, q4: ORDINARY } }],
			about: null
		});
		expect(r.kind).toBe('created');
		const rows = await fresh.db.selectFrom('answer').select(['id', 'text', 'risk_version']).execute();
		for (const a of rows) ids.set(a.text!, a.id);
		// Stored now: scored by the current version.
		expect(rows.map((a) => a.risk_version)).toEqual(rows.map(() => SCORING_VERSION));
	}, 120_000);
	afterEach(async () => {
		await fresh?.drop();
	});

	const answer = (text: string) =>
		fresh.db
			.selectFrom('answer')
			.select(['risk_score', 'risk_version'])
			.where('id', '=', ids.get(text)!)
			.executeTakeFirstOrThrow();
	const flagOf = (text: string) =>
		fresh.db
			.selectFrom('safeguarding_flag')
			.select(['level', 'status'])
			.where('answer_id', '=', ids.get(text)!)
			.executeTakeFirst();

	it('rescoring leaves the data version alone, so cached analysis pages stay cached while it runs', async () => {
		const version = async () =>
			(await fresh.db.selectFrom('data_version').select('version').executeTakeFirstOrThrow()).version;
		await fresh.db.updateTable('answer').set({ risk_score: null, risk_version: null }).execute();
		const before = await version();
		// Each batch of one answer: on SQLite every answer written moved the version (once per row), on PostgreSQL
		// every batch (once per transaction).
		expect(await backfillRiskScores(fresh.db, 1)).toBe(ids.size);
		expect(
			(await fresh.db.selectFrom('answer').select('risk_version').execute()).every(
				(a) => a.risk_version === SCORING_VERSION
			)
		).toBe(true);
		expect(String(await version())).toBe(String(before));
	});

	it('replaces stale scores, orders the reading list by them, keeps every flag and raises missing ones', async () => {
		const low = screenAnswer(LOW);
		const high = screenAnswer(HIGH);
		expect(low.level).toBeNull();
		expect(high.level).toBeNull();
		expect(high.score).toBeGreaterThan(low.score);
		expect(screenAnswer(DISCLOSURE).level).not.toBeNull();
		expect(screenAnswer(ORDINARY).level).toBeNull();

		// As if an older screen had scored them: the order reversed, the disclosure missed, the ordinary answer flagged.
		const old = SCORING_VERSION - 1;
		await fresh.db
			.updateTable('answer')
			.set({ risk_score: 0.5, risk_version: old })
			.where('id', '=', ids.get(LOW)!)
			.execute();
		await fresh.db
			.updateTable('answer')
			.set({ risk_score: 0, risk_version: null })
			.where('id', '=', ids.get(HIGH)!)
			.execute();
		await fresh.db
			.updateTable('answer')
			.set({ risk_score: 0, risk_version: old })
			.where('id', '=', ids.get(DISCLOSURE)!)
			.execute();
		await fresh.db.deleteFrom('safeguarding_flag').where('answer_id', '=', ids.get(DISCLOSURE)!).execute();
		await flagAnswer(fresh.db, ids.get(ORDINARY)!);
		await fresh.db
			.updateTable('answer')
			.set({ risk_score: 0.9, risk_version: old })
			.where('id', '=', ids.get(ORDINARY)!)
			.execute();

		const before = await readingList(fresh.db, 0);
		expect(before.unread.map((i) => i.text)).toEqual([LOW, HIGH, DISCLOSURE]);

		expect(await backfillRiskScoresOnce(fresh.db, 2)).toBe(4);
		for (const text of [LOW, HIGH, DISCLOSURE, ORDINARY]) {
			const a = await answer(text);
			expect(a.risk_version).toBe(SCORING_VERSION);
			expect(a.risk_score).toBeCloseTo(screenAnswer(text).score, 9);
		}
		const after = await readingList(fresh.db, 0);
		expect(after.unread.map((i) => i.text)).toEqual([HIGH, LOW]);
		expect(after.flagged.map((i) => i.text).sort()).toEqual([DISCLOSURE, ORDINARY].sort());
		expect(await flagOf(ORDINARY)).toEqual({ level: 'review', status: 'new' });
		expect((await flagOf(DISCLOSURE))?.level).toBe(screenAnswer(DISCLOSURE).level);
		const audits = await fresh.db
			.selectFrom('audit_log')
			.select('entity_id')
			.where('action', '=', 'safeguarding.flag')
			.execute();
		expect(audits.length).toBeGreaterThanOrEqual(2);

		// Done: nothing is stale any more.
		expect(await backfillRiskScores(fresh.db, 2)).toBe(0);
	});

	it('leaves a score from a newer scoring version alone (an instance running newer code)', async () => {
		await fresh.db
			.updateTable('answer')
			.set({ risk_score: 0.42, risk_version: SCORING_VERSION + 1 })
			.where('id', '=', ids.get(LOW)!)
			.execute();
		await fresh.db.updateTable('answer').set({ risk_version: null }).where('id', '=', ids.get(HIGH)!).execute();
		expect(await backfillRiskScores(fresh.db, 10)).toBe(1);
		expect(await answer(LOW)).toEqual({ risk_score: 0.42, risk_version: SCORING_VERSION + 1 });
		expect((await answer(HIGH)).risk_version).toBe(SCORING_VERSION);
	});
	it('leaves an answer edited after it was read and screened (its batch is screened ahead, in the worker)', async () => {
		expect(ids.get(LOW)!).toBeLessThan(ids.get(HIGH)!);
		await fresh.db
			.updateTable('answer')
			.set({ risk_version: null })
			.where('id', 'in', [ids.get(LOW)!, ids.get(HIGH)!])
			.execute();
		let batches = 0;
		// One answer a batch: once LOW is written, HIGH has been read and is being screened; it is edited meanwhile.
		const n = await backfillRiskScores(fresh.db, 1, async () => {
			if (batches++ === 0)
				await fresh.db.updateTable('answer').set({ text: 'edited since' }).where('id', '=', ids.get(HIGH)!).execute();
			return true;
		});
		expect(n).toBe(1);
		expect((await answer(LOW)).risk_version).toBe(SCORING_VERSION);
		expect((await answer(HIGH)).risk_version).toBeNull();
	});
});
