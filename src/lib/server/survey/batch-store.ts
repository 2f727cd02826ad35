import { sql, type Transaction } from 'kysely';
import type { Db } from '../db/connect';
import type { Database } from '../db/schema';
import { openState, type ConsultationView, type OpenState } from '../consultations/queries';
import type { SubmissionInput } from '../../schemas/submission';
import { storeSubmissions, SubmissionConflictError, type SaveMeta, type SaveResult } from '../submissions/save';
import { writerSchemaFor, type WriterSchema } from '../submissions/writer-aggregates';
import { clientIdColumn } from '../submissions/client-ids';
import { confirmFold, FOLD_FINGERPRINT, FOLD_ON, writerFoldFor } from '../submissions/writer-aggregates-pg';

/** Not stored: the consultation is no longer open (or is gone) at the moment of the commit. */
export interface NotOpen {
	status: 'not-open';
	state: Exclude<OpenState, 'open'> | 'gone';
}

/** One online submission of a grouped commit: plain data, so it can be handed to the writer thread as it is. */
export interface BatchItem {
	c: Pick<ConsultationView, 'id' | 'questions'>;
	input: SubmissionInput;
	now: Date | undefined;
	/** The answers screened, redacted and their language detected as the submission was queued (writer.ts). */
	texts?: Pick<SaveMeta, 'prepared' | 'languages'>;
}

/**
 * Each item's outcome, as plain data (it crosses from the writer thread): stored or replayed, not open, its UUID
 * belongs to another consultation, or its own transaction failed (with its error).
 */
export type BatchOutcome =
	SaveResult | NotOpen | { status: 'conflict'; id: string } | { status: 'failed'; error: unknown };

/**
 * Each item's consultation state now, read once for the batch in its transaction. `fold` (PostgreSQL, the batch's
 * database handle; the first statement of the batch's transaction): the same query also turns on the fold of the
 * aggregates at COMMIT for the rest of the transaction and reads the triggers' fingerprint (writer-aggregates-pg.ts),
 * without a round trip of its own; only when the triggers changed since their last probe is there another.
 */
async function statesOf(
	tx: Transaction<Database>,
	batch: BatchItem[],
	fold: Db | false = false
): Promise<(OpenState | 'gone')[]> {
	const ids = [...new Set(batch.map((j) => j.c.id))];
	const query = tx.selectFrom('consultation').select(['id', 'status', 'opens_at', 'closes_at']).where('id', 'in', ids);
	const rows = fold
		? await query
				.select([sql<string>`${sql.raw(FOLD_ON)}`.as('fold'), sql<string>`${sql.raw(FOLD_FINGERPRINT)}`.as('triggers')])
				.execute()
		: await query.execute();
	// The triggers changed since they were last probed: probed again, and the fold turned off again if it may not be used.
	if (fold && rows.length > 0) await confirmFold(fold, tx, (rows[0] as unknown as { triggers: string }).triggers);
	const byId = new Map(rows.map((r) => [r.id, r]));
	return batch.map((j) => {
		const r = byId.get(j.c.id);
		return r ? openState({ status: r.status, opensAt: r.opens_at, closesAt: r.closes_at }, j.now) : 'gone';
	});
}

/**
 * The batch stored with one multi-row insert per table (storeSubmissions); closed consultations take nothing.
 * `writerAggregates`: the batch's aggregates kept by one multi-row upsert per table instead of the row triggers
 * (submissions/writer-aggregates.ts, SQLite, WRITER_AGGREGATES not off), as the schema allows; false: the triggers.
 * `fold` (the batch's database handle, or false): PostgreSQL's insert triggers skipped and the batch's aggregates added once at COMMIT (writer-aggregates-pg.ts,
 * WRITER_FOLD_PG=on; off by default).
 */
export async function storeBatch(
	tx: Transaction<Database>,
	batch: BatchItem[],
	writerAggregates: WriterSchema | false,
	clientIds: boolean,
	fold: Db | false = false
): Promise<BatchOutcome[]> {
	const states = await statesOf(tx, batch, fold);
	const open = batch.flatMap((job, i) =>
		states[i] === 'open'
			? [{ consultation: job.c, input: job.input, meta: { channel: 'online' as const, ...job.texts } }]
			: []
	);
	const saved = await storeSubmissions(tx, open, { writerAggregates, clientIds });
	let next = 0;
	return states.map((state): BatchOutcome => {
		if (state !== 'open') return { status: 'not-open', state };
		const r = saved[next++];
		return r instanceof SubmissionConflictError ? { status: 'conflict', id: r.id } : r;
	});
}

/**
 * One grouped commit: the batch in one transaction; if that fails, each of its submissions is retried on its own
 * so one bad submission cannot sink the rest. `stored` is called once the work is done and only the commit is left
 * (the pipelined writer starts its next batch then). Runs on the event loop's connection or in the writer thread.
 */
export async function commitBatch(db: Db, batch: BatchItem[], stored: () => void = () => {}): Promise<BatchOutcome[]> {
	// Whether the schema keeps a client's id apart from the row's (migration 2026-12-13-0100): probed once per handle.
	const clientIds = await clientIdColumn(db);
	// PostgreSQL: whether the aggregates are folded at COMMIT (probed once per handle, outside the transaction).
	const fold = (await writerFoldFor(db)) && db;
	try {
		return await db.transaction().execute(async (tx) => {
			// Read in the batch's transaction: the schema it is written under (one read of SQLite's schema cookie).
			const r = await storeBatch(tx, batch, await writerSchemaFor(db, tx), clientIds, fold);
			stored();
			return r;
		});
	} catch {
		// One bad submission must not sink the rest: each on its own below.
	} finally {
		stored();
	}
	// Each on its own with the row triggers (a claimed set the writer's check refused is settled there as before; on
	// PostgreSQL a fold that failed at COMMIT, e.g. a deadlock with the coder, is retried with the triggers too).
	const one: BatchOutcome[] = [];
	for (const job of batch) {
		try {
			one.push((await db.transaction().execute((tx) => storeBatch(tx, [job], false, clientIds)))[0]);
		} catch (error) {
			one.push({ status: 'failed', error });
		}
	}
	return one;
}
