import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/connect';

/**
 * Background coding work, held in the database (table coding_job) so that with
 * several app instances on one PostgreSQL exactly one of them does each piece:
 * - asking for work inserts its row, or, when the same work is already queued
 *   or running, bumps `requested` (so work asked for during a run runs once more
 *   afterwards, and repeated requests collapse into one);
 * - an instance claims a row whose lease is free or has run out, with
 *   `FOR UPDATE SKIP LOCKED` on PostgreSQL (two instances claiming at once get
 *   different rows; SQLite has one writer, so its update is already exclusive),
 *   and renews the lease while it works;
 * - an instance that dies (SIGKILL, lost machine) stops renewing, its lease runs
 *   out, and another instance claims the job and does it again from the start
 *   (coding is idempotent: it writes the same codings whoever runs it).
 */
export type CodingJob = { kind: 'uncoded' } | { kind: 'question'; questionId: number };

export interface ClaimedJob {
	id: number;
	job: CodingJob;
	requested: number;
}

/** Who this process is, in claimed_by (for people reading the table; ownership is checked by equality). */
export const INSTANCE_ID = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

/** How long a claim lasts without renewal (CODING_LEASE_SECONDS, default 30). */
export function leaseMs(): number {
	return Math.max(1, Number(process.env.CODING_LEASE_SECONDS ?? 30)) * 1000;
}

function keyOf(job: CodingJob): string {
	return job.kind === 'uncoded' ? 'uncoded' : `question:${job.questionId}`;
}

/** Queues `job` (or marks it wanted again if it is queued or running). */
export async function requestCodingJob(db: Db, job: CodingJob): Promise<void> {
	await db
		.insertInto('coding_job')
		.values({ job_key: keyOf(job), kind: job.kind, question_id: job.kind === 'question' ? job.questionId : null })
		.onConflict((oc) => oc.column('job_key').doUpdateSet((eb) => ({ requested: eb('coding_job.requested', '+', 1) })))
		.execute();
}

/** Claims the oldest job nobody holds a live lease on, or null. */
export async function claimCodingJob(db: Db, pg: boolean, now = Date.now()): Promise<ClaimedJob | null> {
	let free = db
		.selectFrom('coding_job')
		.select('id')
		.where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
		.orderBy('id')
		.limit(1);
	if (pg) free = free.forUpdate().skipLocked();
	const row = await db
		.updateTable('coding_job')
		.set((eb) => ({ claimed_by: INSTANCE_ID, lease_until: now + leaseMs(), runs: eb('runs', '+', 1) }))
		.where('id', '=', free)
		.returning(['id', 'kind', 'question_id', 'requested'])
		.executeTakeFirst();
	if (!row) return null;
	const job: CodingJob =
		row.kind === 'question' && row.question_id !== null
			? { kind: 'question', questionId: row.question_id }
			: { kind: 'uncoded' };
	return { id: row.id, job, requested: row.requested };
}

/** Extends this instance's lease; false when the claim is no longer ours (it ran out and was taken). */
export async function renewCodingLease(db: Db, claimed: ClaimedJob, now = Date.now()): Promise<boolean> {
	const r = await db
		.updateTable('coding_job')
		.set({ lease_until: now + leaseMs() })
		.where('id', '=', claimed.id)
		.where('claimed_by', '=', INSTANCE_ID)
		.executeTakeFirst();
	return Number(r.numUpdatedRows) > 0;
}

/**
 * The job is done (or failed: `retryAfterMs` keeps it unclaimed that long). Deleted unless it was asked for
 * again while it ran, in which case it is released to run once more.
 */
export async function finishCodingJob(db: Db, claimed: ClaimedJob, retryAfterMs?: number): Promise<void> {
	if (retryAfterMs === undefined) {
		const gone = await db
			.deleteFrom('coding_job')
			.where('id', '=', claimed.id)
			.where('claimed_by', '=', INSTANCE_ID)
			.where('requested', '=', claimed.requested)
			.executeTakeFirst();
		if (Number(gone.numDeletedRows) > 0) return;
	}
	await db
		.updateTable('coding_job')
		.set({ claimed_by: null, lease_until: retryAfterMs === undefined ? null : Date.now() + retryAfterMs })
		.where('id', '=', claimed.id)
		.where('claimed_by', '=', INSTANCE_ID)
		.execute();
}
