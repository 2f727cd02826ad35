/**
 * The survey's grouped commit on SQLite keeps the aggregates with one grouped statement per table and moves the
 * data version once per commit (issue 18, submissions/insert-delta.ts), not once per stored row; that the counts
 * stay exact is tests/analysis-aggregates.test.ts (incremental = rebuilt, grouped commits included).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { loadSmallFixture, type Fixture } from './fixtures/analysis/small';
import { dataVersion } from '../src/lib/server/analysis/cache';
import { saveOnline } from '../src/lib/server/survey/writer';
import { insertDeltaReady } from '../src/lib/server/submissions/insert-delta';

describeEachEngine('the grouped commit and the data version', (engine) => {
	let fresh: FreshDb;
	let fx: Fixture;

	beforeAll(async () => {
		fresh = await preparedDatabase(engine);
		fx = await loadSmallFixture(fresh.db);
	});
	afterAll(() => fresh?.drop());

	const input = (i: number) => ({
		id: randomUUID(),
		district: i % 2 ? 'redditch' : null,
		perspectives: [
			{ group: 'child', answers: { q1: `a park ${i}`, q2: 'buses' } },
			{ group: 'parent_carer', answers: { q1: 'safer roads' } }
		],
		about: { ageBand: '16-17' }
	});

	it('moves once for a grouped commit of five submissions (SQLite), and not for resends alone', async () => {
		expect(await insertDeltaReady(fresh.db)).toBe(engine === 'sqlite');
		const inputs = [0, 1, 2, 3, 4].map(input);
		const v0 = Number(await dataVersion(fresh.db));
		const results = await Promise.all(inputs.map((x) => saveOnline(fresh.db, fx.c, x as never)));
		expect(results.every((r) => 'status' in r && r.status === 'created')).toBe(true);
		const v1 = Number(await dataVersion(fresh.db));
		// PostgreSQL keeps its row triggers (its data-version trigger may move more than once); SQLite exactly once.
		if (engine === 'sqlite') expect(v1 - v0).toBe(1);
		else expect(v1).toBeGreaterThan(v0);
		const again = await Promise.all(inputs.slice(0, 3).map((x) => saveOnline(fresh.db, fx.c, x as never)));
		expect(again.every((r) => 'status' in r && r.status === 'replayed')).toBe(true);
		expect(Number(await dataVersion(fresh.db))).toBe(v1);
	});
});
