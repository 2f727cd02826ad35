/**
 * The survey writer's grouped commit keeps the aggregates of its own inserts (issue 18; SQLite: migration
 * 2026-12-11-0200 and src/lib/server/submissions/writer-aggregates.ts; PostgreSQL keeps its triggers). Whatever
 * the batch holds (one or several perspectives and types, blank answers, equality answers or none, replays within
 * the batch and of earlier batches), the kept tables afterwards are exactly what a rebuild gives; on SQLite the
 * triggers did not fire (a handful of row writes per submission, not 31). A claimed set the writer's check refuses
 * sends the batch back to the triggers' path, still counted exactly.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { SLUG } from './helpers/consultation';
import { expectRebuildUnchanged } from './helpers/aggregates';
import { getConsultation, type ConsultationView } from '../src/lib/server/consultations/queries';
import { rebuildAggregates } from '../src/lib/server/analysis/aggregates';
import { saveOnline } from '../src/lib/server/survey/writer';
import { commitBatch } from '../src/lib/server/survey/batch-store';
import { cellKey, forgetWriterAggregates, writerAggregatesFor } from '../src/lib/server/submissions/writer-aggregates';
import type { SubmissionInput } from '../src/lib/schemas/submission';
import type { Db } from '../src/lib/server/db/connect';

const dataVersion = async (db: Db) =>
	Number((await db.selectFrom('data_version').select('version').executeTakeFirstOrThrow()).version);

const GROUPS = ['child', 'young_person', 'parent_carer', null];
const DISTRICTS = ['wychavon', 'redditch', null];
const TEXTS = ['a park near my house', 'more buses please', '   ', 'somewhere safe to meet friends'];

/** A varied submission from a small seeded counter (several perspectives, blanks, equality answers or none). */
function submission(i: number): SubmissionInput {
	const perspectives = Array.from({ length: 1 + (i % 3) }, (_, k) => ({
		group: GROUPS[(i + k * 3) % GROUPS.length],
		answers: Object.fromEntries(
			['q1', 'q2', 'q3'].filter((_, j) => (i + j + k) % 3 !== 2).map((q, j) => [q, TEXTS[(i + j + 2 * k) % 4]])
		)
	}));
	return {
		id: randomUUID(),
		district: DISTRICTS[i % 3],
		perspectives,
		about: i % 4 === 0 ? null : { ageBand: i % 2 ? '18-24' : '13-15', gender: i % 5 ? 'female' : 'male' }
	} as unknown as SubmissionInput;
}

describeEachEngine('the survey writer keeps the aggregates of its own batches', (engine) => {
	let fresh: FreshDb;
	let c: ConsultationView;

	beforeAll(async () => {
		fresh = await preparedDatabase(engine);
		c = (await getConsultation(fresh.db, SLUG))!;
		await rebuildAggregates(fresh.db);
	}, 120_000);
	afterAll(() => fresh?.drop());

	it('gives exactly the rebuilt aggregates for grouped submissions and replays', async () => {
		const db = fresh.db;
		// SQLite: the writer's own path is the one taken (PostgreSQL keeps its statement-level triggers).
		expect(await writerAggregatesFor(db)).toBe(engine === 'sqlite');
		const changes = async () => Number((await sql<{ n: number }>`select total_changes() as n`.execute(db)).rows[0].n);
		const before = engine === 'sqlite' ? await changes() : 0;
		const versionBefore = await dataVersion(db);
		const inputs = Array.from({ length: 60 }, (_, i) => submission(i));
		// Sent together, so the writer groups them; a few sent twice in the same batch.
		const first = await Promise.all([...inputs, inputs[0], inputs[7]].map((input) => saveOnline(db, c, input)));
		expect(first.filter((r) => r.status === 'created')).toHaveLength(60);
		expect(first.filter((r) => r.status === 'replayed')).toHaveLength(2);
		if (engine === 'sqlite') {
			const stored = Number(
				(
					await sql<{ n: number }>`select (select count(*) from submission) + (select count(*) from perspective)
					+ (select count(*) from answer) + (select count(*) from safeguarding_flag) as n`.execute(db)
				).rows[0].n
			);
			// The rows themselves and a grouped upsert per table per batch (with the triggers: about 4× the rows).
			expect((await changes()) - before).toBeLessThan(2 * stored);
			// The data version moved once per batch, not once per row stored.
			expect((await dataVersion(db)) - versionBefore).toBeLessThan(5);
		}
		expect(await dataVersion(db)).toBeGreaterThan(versionBefore);
		// Replays of an earlier batch mixed with new ones.
		const more = [inputs[3], submission(61), inputs[4], submission(62)];
		const second = await Promise.all(more.map((input) => saveOnline(db, c, input)));
		expect(second.map((r) => r.status)).toEqual(['replayed', 'created', 'replayed', 'created']);

		const kept = await expectRebuildUnchanged(db);
		// Not a comparison of empty tables.
		expect(kept.analysis_agg_submission.length).toBeGreaterThan(2);
		expect(kept.analysis_agg_answer.length).toBeGreaterThan(5);
	});

	it('sends a batch whose claimed set the check refuses back through the triggers, counted exactly', async () => {
		const db = fresh.db;
		// JavaScript sorts by UTF-16 units, SQLite's group set by code point: the claim of these two types is wrong.
		const odd = {
			id: randomUUID(),
			district: 'wychavon',
			perspectives: [
				{ group: '\u{1F600}', answers: { q1: 'a park' } },
				{ group: '\uFF01', answers: { q2: 'buses' } }
			]
		} as unknown as SubmissionInput;
		const ok = submission(5);
		const results = await commitBatch(db, [
			{ c, input: odd, now: undefined },
			{ c, input: ok, now: undefined }
		]);
		expect(results.map((r) => r.status)).toEqual(['created', 'created']);
		await expectRebuildUnchanged(db);
	});

	it('keeps the triggers when an insert trigger is not guarded (SQLite)', async () => {
		if (engine !== 'sqlite') return;
		const db = fresh.db;
		await sql`create trigger writer_test_unguarded after insert on answer begin select 1; end`.execute(db);
		try {
			forgetWriterAggregates(db);
			expect(await writerAggregatesFor(db)).toBe(false);
		} finally {
			await sql`drop trigger writer_test_unguarded`.execute(db);
			forgetWriterAggregates(db);
		}
		expect(await writerAggregatesFor(db)).toBe(true);
	});
});

describe('the writer’s cell keys (cellKey)', () => {
	it('join a key’s values, and leave to JSON the keys that could join alike', () => {
		expect(cellKey([3, 'wychavon', 'online', 0, '2026-12-04'])).toBe(
			'3\u0001wychavon\u0001online\u00010\u00012026-12-04'
		);
		expect(cellKey([3, '', ''])).not.toBe(cellKey([3, '']));
		const keys = [
			[1, 'a', 'b'],
			[1, 'a\u0001b', ''],
			[1, '', 'a\u0001b'],
			[1, 'a', '\u0001b'],
			[1, '', ''],
			[11, '', ''],
			[1, '1', '']
		];
		const joined = keys.map(cellKey);
		expect(joined.slice(1, 4)).toEqual([null, null, null]); // apart, by their JSON
		const kept = joined.filter((k) => k !== null);
		expect(new Set(kept).size).toBe(kept.length);
		expect(cellKey([1, null as unknown as string])).toBeNull();
	});
});
