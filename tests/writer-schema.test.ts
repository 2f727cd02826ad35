/**
 * The survey writer's probe of the schema (src/lib/server/submissions/writer-aggregates.ts, writerSchemaFor): kept
 * while SQLite's schema cookie stays the same, so a grouped commit no longer scans sqlite_master for the day table
 * (docs/deployment.md, twenty-sixth round), and probed again whenever the schema changes, so a trigger created
 * without the writer's guard, or the day table created or dropped, is seen by the very next grouped commit (before,
 * the guards were probed once per database and kept for good). WRITER_SCHEMA_CACHE=off gives the path before.
 */
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { SLUG } from './helpers/consultation';
import { expectRebuildUnchanged } from './helpers/aggregates';
import { getConsultation, type ConsultationView } from '../src/lib/server/consultations/queries';
import { rebuildAggregates } from '../src/lib/server/analysis/aggregates';
import { groupedCommits, saveOnline } from '../src/lib/server/survey/writer';
import { writerAggregatesFor } from '../src/lib/server/submissions/writer-aggregates';
import { migrations } from '../src/lib/server/db/migrations';
import type { SubmissionInput } from '../src/lib/schemas/submission';

const DAY_MIGRATION = '2026-12-12-0500-day-aggregates';

/** Every SQL text better-sqlite3 runs while `seen` is set (its statements' run, all, get, iterate). */
let seen: string[] | null = null;
const probe = new Database(':memory:');
const proto = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, (...a: unknown[]) => unknown>;
probe.close();
const originals = new Map<string, (...a: unknown[]) => unknown>();
for (const method of ['run', 'all', 'get', 'iterate']) {
	const original = proto[method];
	originals.set(method, original);
	proto[method] = function (this: { source: string }, ...args: unknown[]) {
		seen?.push(this.source);
		return original.apply(this, args);
	};
}
afterAll(() => {
	for (const [method, original] of originals) proto[method] = original;
});

function submission(i: number): SubmissionInput {
	return {
		id: randomUUID(),
		district: i % 2 ? 'wychavon' : 'redditch',
		perspectives: [{ group: i % 3 ? 'child' : 'parent_carer', answers: { q1: `a park near ${i}`, q2: 'more buses' } }],
		about: null
	} as unknown as SubmissionInput;
}

let next = 0;
/** Several submissions sent together (the writer groups them); all stored. */
async function sendTogether(db: FreshDb['db'], c: ConsultationView, n = 6) {
	const results = await Promise.all(Array.from({ length: n }, () => saveOnline(db, c, submission(next++))));
	expect(results.map((r) => r.status)).toEqual(Array(n).fill('created'));
}

describeEachEngine('the writer’s probe of the schema', (engine) => {
	let fresh: FreshDb;
	let c: ConsultationView;

	beforeAll(async () => {
		fresh = await preparedDatabase(engine);
		c = (await getConsultation(fresh.db, SLUG))!;
		await rebuildAggregates(fresh.db);
	}, 120_000);
	afterAll(() => fresh?.drop());
	afterEach(() => {
		seen = null;
		delete process.env.WRITER_SCHEMA_CACHE;
	});

	it('grouped commits do not read sqlite_master while the schema is unchanged (SQLite)', async () => {
		if (engine !== 'sqlite') return;
		const db = fresh.db;
		await sendTogether(db, c); // the first probe
		const commits = groupedCommits(db);
		seen = [];
		for (let round = 0; round < 3; round++) await sendTogether(db, c);
		const reads = seen.filter((s) => /sqlite_master|sqlite_schema/i.test(s));
		seen = null;
		expect(groupedCommits(db) - commits).toBeGreaterThanOrEqual(3);
		expect(reads).toEqual([]);
		// The path before (WRITER_SCHEMA_CACHE=off): the day table looked up by every grouped commit.
		process.env.WRITER_SCHEMA_CACHE = 'off';
		seen = [];
		await sendTogether(db, c);
		expect(seen.filter((s) => /sqlite_master/i.test(s)).length).toBeGreaterThanOrEqual(1);
		await expectRebuildUnchanged(db);
	});

	it('sees a guard-less insert trigger created after it probed, without being told', async () => {
		const db = fresh.db;
		await sendTogether(db, c);
		expect(await writerAggregatesFor(db)).toBe(engine === 'sqlite');
		if (engine === 'sqlite')
			await sql`create trigger writer_schema_test after insert on answer begin select 1; end`.execute(db);
		try {
			// No forgetWriterAggregates: the schema cookie moved, so the next look probes again.
			expect(await writerAggregatesFor(db)).toBe(false);
			await sendTogether(db, c);
			await expectRebuildUnchanged(db, 'with the guard-less trigger');
		} finally {
			if (engine === 'sqlite') await sql`drop trigger writer_schema_test`.execute(db);
		}
		expect(await writerAggregatesFor(db)).toBe(engine === 'sqlite');
	});

	it('counts the day table from the first grouped commit after it is created, and none while it is gone', async () => {
		const db = fresh.db;
		const day = migrations[DAY_MIGRATION];
		await day.down!(db);
		try {
			await sendTogether(db, c); // written without the day table
		} finally {
			await day.up(db); // recreated and filled from the rows
		}
		await sendTogether(db, c); // the first batch after: must reach the day table
		await expectRebuildUnchanged(db, 'after the day table came back');
		const counted = await sql<{ n: number }>`select coalesce(sum(n), 0) as n from analysis_agg_answer_day`.execute(db);
		const answers = await sql<{ n: number }>`select count(*) as n from answer`.execute(db);
		expect(Number(counted.rows[0].n)).toBe(Number(answers.rows[0].n));
	});
});
