/**
 * PostgreSQL: the survey writer's grouped commit adds its aggregates once, at its COMMIT (issue 18, helper pg49;
 * migration 2026-12-14-0300, src/lib/server/submissions/writer-aggregates-pg.ts). Two grouped commits for the same
 * cells on two connections interleave: the second stores and commits while the first has stored its rows and has
 * not committed yet (as while it waits on the app), with no session waiting on a lock (pg_stat_activity); with the
 * row triggers (WRITER_FOLD_PG=off) the second waits on the first's aggregate rows until the first commits. The
 * tables stay exactly what a rebuild gives, including when a claimed group set is wrong and the fold settles it,
 * and a guarded trigger changed after the migration (its function replaced, or created again without the guard)
 * turns the fold off from the next grouped commit on. SQLite: the fold is never used.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { SLUG } from './helpers/consultation';
import { until } from './helpers/wait';
import { withEnv } from './helpers/env';
import { expectRebuildUnchanged } from './helpers/aggregates';
import { getConsultation, type ConsultationView } from '../src/lib/server/consultations/queries';
import { rebuildAggregates } from '../src/lib/server/analysis/aggregates';
import { commitBatch, storeBatch, type BatchItem } from '../src/lib/server/survey/batch-store';
import { clientIdColumn } from '../src/lib/server/submissions/client-ids';
import { foldVerdict, forgetWriterFold, writerFoldFor } from '../src/lib/server/submissions/writer-aggregates-pg';
import type { SubmissionInput } from '../src/lib/schemas/submission';
import type { Db } from '../src/lib/server/db/connect';

const item = (c: ConsultationView, groups: (string | null)[] = ['child']): BatchItem => ({
	c,
	input: {
		id: randomUUID(),
		district: 'bromsgrove',
		perspectives: groups.map((group) => ({ group, answers: { q1: 'a park near my house', q2: 'buses' } })),
		about: { ageBand: '13-15', gender: 'female' }
	} as unknown as SubmissionInput,
	now: undefined
});

/** Sessions of this database waiting on a lock (a row another transaction holds), from pg_stat_activity. */
const lockWaiters = async (db: Db) =>
	Number(
		(
			await sql<{ n: string }>`select count(*) as n from pg_stat_activity
				where datname = current_database() and wait_event_type = 'Lock'`.execute(db)
		).rows[0].n
	);

describeEachEngine('the grouped commit folds its aggregates at COMMIT (PostgreSQL)', (engine) => {
	let fresh: FreshDb;
	let c: ConsultationView;

	// The fold is opt-in (writer-aggregates-pg.ts: off by default until its cost on a grown database is traced): this
	// file turns it on for its tests, and off (the row triggers) where it shows the before.
	const before = process.env.WRITER_FOLD_PG;
	beforeAll(async () => {
		process.env.WRITER_FOLD_PG = 'on';
		fresh = await preparedDatabase(engine);
		c = (await getConsultation(fresh.db, SLUG))!;
		await rebuildAggregates(fresh.db);
	}, 120_000);
	afterAll(async () => {
		if (before === undefined) delete process.env.WRITER_FOLD_PG;
		else process.env.WRITER_FOLD_PG = before;
		await fresh?.drop();
	});

	it('is used on PostgreSQL only, with WRITER_FOLD_PG=on (off by default)', async () => {
		forgetWriterFold(fresh.db);
		expect(await withEnv('WRITER_FOLD_PG', 'on', () => writerFoldFor(fresh.db))).toBe(engine === 'postgres');
		expect(await withEnv('WRITER_FOLD_PG', undefined, () => writerFoldFor(fresh.db))).toBe(false);
		expect(await withEnv('WRITER_FOLD_PG', 'off', () => writerFoldFor(fresh.db))).toBe(false);
	});

	it('lets a second grouped commit store and commit while the first holds its transaction open', async () => {
		if (engine !== 'postgres') return;
		const db = fresh.db;
		const fold = (await writerFoldFor(db)) && db;
		const clientIds = await clientIdColumn(db);
		let release = () => {};
		const gate = new Promise<void>((resolve) => (release = resolve));
		let firstStored = false;
		// The first grouped commit: its rows stored, its COMMIT not sent yet (as while it waits on the app).
		const first = db.transaction().execute(async (tx) => {
			const r = await storeBatch(tx, [item(c), item(c, ['child', 'parent_carer'])], false, clientIds, fold);
			firstStored = true;
			await gate;
			return r;
		});
		try {
			await until(() => firstStored, 'the first batch stored its rows');
			// The second, for the same cells (consultation, district, channel, day, question, type), on another connection.
			let secondDone = false;
			const second = commitBatch(db, [item(c), item(c)]).then((r) => ((secondDone = true), r));
			let waiters = 0;
			await until(
				async () => secondDone || (waiters = await lockWaiters(db)) > 0,
				'the second batch committed, or waits on a lock'
			);
			expect({ secondCommittedWhileFirstOpen: secondDone, sessionsWaitingOnALock: waiters }).toEqual({
				secondCommittedWhileFirstOpen: true,
				sessionsWaitingOnALock: 0
			});
			expect((await second).map((r) => r.status)).toEqual(['created', 'created']);
		} finally {
			release();
		}
		expect((await first).map((r) => r.status)).toEqual(['created', 'created']);
		await expectRebuildUnchanged(db, 'after two interleaved grouped commits');
	});

	it('counts exactly what a rebuild gives, with replays and a claimed group set the fold settles', async () => {
		const db = fresh.db;
		// C.UTF-8 orders the group set by code point, JavaScript by UTF-16 unit: this claim is wrong on PostgreSQL.
		const odd = item(c, ['\u{1F600}', '\uFF01']);
		const batch = [item(c), odd, item(c, [null, 'young_person', 'child']), item(c)];
		const results = await commitBatch(db, [...batch, batch[0]]);
		expect(results.map((r) => r.status)).toEqual(['created', 'created', 'created', 'created', 'replayed']);
		const again = await commitBatch(db, [batch[1], item(c, ['parent_carer'])]);
		expect(again.map((r) => r.status)).toEqual(['replayed', 'created']);
		const kept = await expectRebuildUnchanged(db, 'after grouped commits');
		expect(kept.analysis_agg_group_set.some((r) => String(r.group_set).includes('\uFF01'))).toBe(true);
	});

	it('is turned off by the next grouped commit when a guarded trigger changes, without being told', async () => {
		if (engine !== 'postgres') return;
		const db = fresh.db;
		expect((await commitBatch(db, [item(c)])).map((r) => r.status)).toEqual(['created']);
		expect(foldVerdict(db)).toBe(true);
		// A guarded trigger's function replaced: the fold's copy of its expressions may no longer be the trigger's.
		const source = (
			await sql<{ def: string }>`select pg_get_functiondef('agg_sub_perspective_insert'::regproc) as def`.execute(db)
		).rows[0].def;
		await sql.raw(source.replace('return null;', 'return null; -- changed')).execute(db);
		try {
			expect((await commitBatch(db, [item(c)])).map((r) => r.status)).toEqual(['created']);
			expect(foldVerdict(db)).toBe(false);
			await expectRebuildUnchanged(db, 'with a guarded trigger’s function replaced');
		} finally {
			await sql.raw(source).execute(db);
		}
		expect((await commitBatch(db, [item(c)])).map((r) => r.status)).toEqual(['created']);
		expect(foldVerdict(db)).toBe(true);
		// A guarded trigger dropped and created again without the guard (a migration's down and up): it fires, and
		// the fold, which would count the same rows again, is off.
		const def = (
			await sql<{ def: string }>`select definition as def from writer_fold_guarded
				where name = 'agg_day_answer_insert'`.execute(db)
		).rows[0].def;
		const guarded = (
			await sql<{ def: string }>`select pg_get_triggerdef(oid) as def from pg_trigger
				where tgname = 'agg_day_answer_insert'`.execute(db)
		).rows[0].def;
		await sql`drop trigger agg_day_answer_insert on answer`.execute(db);
		await sql.raw(def).execute(db);
		try {
			expect((await commitBatch(db, [item(c), item(c)])).map((r) => r.status)).toEqual(['created', 'created']);
			expect(foldVerdict(db)).toBe(false);
			await expectRebuildUnchanged(db, 'with a guarded trigger created again without the guard');
		} finally {
			await sql`drop trigger agg_day_answer_insert on answer`.execute(db);
			await sql.raw(guarded).execute(db);
		}
		expect((await commitBatch(db, [item(c)])).map((r) => r.status)).toEqual(['created']);
		expect(foldVerdict(db)).toBe(true);
		await expectRebuildUnchanged(db, 'with the guard back');
	});
});
