/**
 * PostgreSQL: the survey writer's grouped commit has its aggregates added once, at its COMMIT (issue #18, helper
 * pg49; migration 2026-12-14-0300). The insert triggers of submission, perspective and answer kept the analysis
 * aggregates row by row from the batch's first insert, so the shared aggregate rows (consultation × district ×
 * channel × day …) stayed locked across every later round trip to the app until the COMMIT, and a second instance's
 * grouped commit, or the coder's chunk, queued behind the whole transaction (two instances: 12 submissions a second
 * together against 109 for one, Lock:transactionid 2.71 sessions on average).
 *
 * With the fold on, the grouped commit's first statement (batch-store.ts, the consultations' states) also sets the
 * transaction-local `consult.writer_aggregates = on`: the guarded insert triggers do nothing, the inserted
 * submissions' ids are collected, and a deferred trigger adds the batch's share to every table at COMMIT with one
 * grouped upsert per table in a fixed order (tables by name, rows by key), then settles the claimed sets. The rows
 * are locked from the start of the COMMIT to its end only. `WRITER_FOLD_PG=off` keeps the row triggers (the A/B
 * switch and a way back). Used only if every guarded trigger still carries the guard and runs the function recorded
 * by the migration (a later change to one of them turns it off until the fold is brought up to date).
 */
import { CompiledQuery, PostgresAdapter } from 'kysely';
import type { Db } from '../db/connect';
import { envSwitch } from '../../analysis/switches';
import { WRITER_FOLD_SETTING, WRITER_FOLD_TABLE } from '../db/migrations/2026-12-14-0300-writer-fold-pg';

/** Per database handle: whether the schema has the fold and every guarded trigger is as the migration left it. */
const known = new WeakMap<Db, Promise<boolean>>();

const PROBE = CompiledQuery.raw(`select
	 (select count(*) from pg_trigger where tgrelid = 'submission'::regclass
	   and tgname in ('writer_fold_collect', 'writer_fold_at_commit')) as fold,
	 (select count(*) from ${WRITER_FOLD_TABLE}) as total,
	 (select count(*) from ${WRITER_FOLD_TABLE} w join pg_trigger t on t.tgname = w.name and t.tgrelid = w.relation::regclass
	   join pg_proc p on p.oid = t.tgfoid
	   where md5(p.prosrc) = w.source_md5 and position('${WRITER_FOLD_SETTING}' in pg_get_triggerdef(t.oid)) > 0) as ok`);

async function probe(db: Db): Promise<boolean> {
	const table = await db.executeQuery<{ t: string | null }>(
		CompiledQuery.raw(`select to_regclass('${WRITER_FOLD_TABLE}')::text as t`)
	);
	if (!table.rows[0]?.t) return false;
	const r = (await db.executeQuery<{ fold: string; total: string; ok: string }>(PROBE)).rows[0];
	return Number(r.fold) === 2 && Number(r.total) > 0 && Number(r.ok) === Number(r.total);
}

/** Whether the grouped commit on `db` has its aggregates folded at COMMIT (on, PostgreSQL, the schema as expected). */
export async function writerFoldFor(db: Db): Promise<boolean> {
	if (envSwitch('WRITER_FOLD_PG') === 'off' || !(db.getExecutor().adapter instanceof PostgresAdapter)) return false;
	let entry = known.get(db);
	if (!entry) {
		entry = probe(db);
		known.set(db, entry);
		entry.catch(() => known.delete(db));
	}
	return entry;
}

/** Forget what writerFoldFor found (tests that change the triggers). */
export function forgetWriterFold(db: Db) {
	known.delete(db);
}

/** The select-list item that turns the fold on for the rest of the transaction (batch-store.ts, the first query). */
export const FOLD_ON = `set_config('${WRITER_FOLD_SETTING}', 'on', true)`;
