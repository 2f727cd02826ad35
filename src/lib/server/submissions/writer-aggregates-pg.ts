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
 * are locked from the start of the COMMIT to its end only.
 *
 * **Off by default since 6 December evening (`WRITER_FOLD_PG=on` turns it on).** Merged beside pg48's COMMIT-time
 * flush of the coder's and imports' aggregates (migration 2026-12-14-0200), the convoy it was built against is gone
 * without it: the instances bench on a quiet machine with the fold off gave one instance 474/s and two 491/s (12/s
 * that morning), p99 during a recode 1.88× idle. With the fold on it was faster on a small database (455 and 832/s) but
 * **26 and 34/s** with q1 holding 20,000 coded answers (the bench's default): each COMMIT's fold spent about 0.3 s of
 * PostgreSQL CPU, a cost that grows with the data, not traced yet. Kept for that work. Used only if every guarded trigger still carries the guard and runs the function recorded
 * by the migration (a later change to one of them turns it off until the fold is brought up to date).
 */
import { CompiledQuery, PostgresAdapter } from 'kysely';
import type { Db } from '../db/connect';
import { envSwitch } from '../../analysis/switches';
import { WRITER_FOLD_SETTING, WRITER_FOLD_TABLE } from '../db/migrations/2026-12-14-0300-writer-fold-pg';

/**
 * The triggers of submission, perspective and answer as the catalogue has them now (each trigger's and its function's
 * row version): read by every grouped commit in its first statement (batch-store.ts), so that a trigger created,
 * dropped or replaced after the last probe (a migration's down and up, a function replaced) is seen by the next
 * grouped commit, which then probes again before it inserts anything. PostgreSQL has no schema cookie.
 */
export const FOLD_FINGERPRINT = `(select md5(string_agg(t.oid::text || ':' || t.xmin::text || ':' || p.xmin::text, ','
	 order by t.oid)) from pg_trigger t join pg_proc p on p.oid = t.tgfoid
	 where t.tgrelid in ('submission'::regclass, 'perspective'::regclass, 'answer'::regclass))`;

/** Per database handle: the schema has the fold's table; and, by fingerprint, whether the fold may be used. */
const hasTable = new WeakMap<Db, Promise<boolean>>();
const verdicts = new WeakMap<Db, { fingerprint: string; usable: boolean }>();

const PROBE = CompiledQuery.raw(`select
	 (select count(*) from pg_trigger where tgrelid = 'submission'::regclass
	   and tgname in ('writer_fold_collect', 'writer_fold_at_commit')) as fold,
	 (select count(*) from ${WRITER_FOLD_TABLE}) as total,
	 (select count(*) from ${WRITER_FOLD_TABLE} w join pg_trigger t on t.tgname = w.name and t.tgrelid = w.relation::regclass
	   join pg_proc p on p.oid = t.tgfoid
	   where md5(p.prosrc) = w.source_md5 and position('${WRITER_FOLD_SETTING}' in pg_get_triggerdef(t.oid)) > 0) as ok`);

/** Every guarded trigger still guarded and running the function the migration recorded, and the fold's triggers there. */
async function probe(db: Pick<Db, 'executeQuery'>): Promise<boolean> {
	const r = (await db.executeQuery<{ fold: string; total: string; ok: string }>(PROBE)).rows[0];
	return Number(r.fold) === 2 && Number(r.total) > 0 && Number(r.ok) === Number(r.total);
}

/**
 * Whether the grouped commit on `db` asks for the fold (on, PostgreSQL, the migration's table there). Whether it
 * keeps it is settled in the transaction by confirmFold, against the triggers as they are then.
 */
export async function writerFoldFor(db: Db): Promise<boolean> {
	if (envSwitch('WRITER_FOLD_PG') !== 'on' || !(db.getExecutor().adapter instanceof PostgresAdapter)) return false;
	let entry = hasTable.get(db);
	if (!entry) {
		entry = db
			.executeQuery<{ t: string | null }>(CompiledQuery.raw(`select to_regclass('${WRITER_FOLD_TABLE}')::text as t`))
			.then((r) => Boolean(r.rows[0]?.t));
		hasTable.set(db, entry);
		entry.catch(() => hasTable.delete(db));
	}
	return entry;
}

/**
 * In the grouped commit's transaction, after its first statement turned the fold on and read the triggers'
 * fingerprint: keeps the fold if the triggers are as last probed and usable; otherwise probes them again (in the
 * transaction) and, if the fold may not be used, turns it off again before anything is inserted. Returns whether
 * the fold stays on.
 */
export async function confirmFold(db: Db, tx: Pick<Db, 'executeQuery'>, fingerprint: string): Promise<boolean> {
	let verdict = verdicts.get(db);
	if (!verdict || verdict.fingerprint !== fingerprint) {
		verdict = { fingerprint, usable: await probe(tx) };
		verdicts.set(db, verdict);
	}
	if (!verdict.usable)
		await tx.executeQuery(CompiledQuery.raw(`select set_config('${WRITER_FOLD_SETTING}', '', true)`));
	return verdict.usable;
}

/** Forget what writerFoldFor and confirmFold found (tests that change the schema). */
export function forgetWriterFold(db: Db) {
	hasTable.delete(db);
	verdicts.delete(db);
}

/** Whether the last grouped commit on `db` kept the fold (tests). */
export function foldVerdict(db: Db): boolean | undefined {
	return verdicts.get(db)?.usable;
}

/** The select-list item that turns the fold on for the rest of the transaction (batch-store.ts, the first query). */
export const FOLD_ON = `set_config('${WRITER_FOLD_SETTING}', 'on', true)`;
