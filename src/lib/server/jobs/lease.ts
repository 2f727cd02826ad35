/**
 * Work that one instance at a time does (issue 18: several instances on one PostgreSQL), held under a lease in
 * background_lease: whoever holds a live lease does the work and renews it as it goes, the others skip. No session
 * state (such as a session advisory lock), so it works through PgBouncer in transaction mode, and on SQLite for
 * processes sharing one file. An instance that dies stops renewing; its lease runs out and the next claim takes it.
 * `holder` is this process (coding/queue.ts INSTANCE_ID) unless a test plays several instances in one process.
 */
import type { Db } from '../db/connect';
import { INSTANCE_ID } from '../coding/queue';

/** Takes the lease `name` for `ms` when it is free, has run out, or is already ours; false when another holds it. */
export async function claimLease(
	db: Db,
	name: string,
	ms: number,
	now = Date.now(),
	holder = INSTANCE_ID
): Promise<boolean> {
	// One statement, so two instances claiming at once cannot both win: the second's insert meets the first's row
	// (PostgreSQL waits for the first to commit) and its update's condition sees the live lease.
	const row = await db
		.insertInto('background_lease')
		.values({ name, holder, lease_until: now + ms })
		.onConflict((oc) =>
			oc
				.column('name')
				.doUpdateSet((eb) => ({ holder: eb.ref('excluded.holder'), lease_until: eb.ref('excluded.lease_until') }))
				.where((eb) =>
					eb.or([eb('background_lease.lease_until', '<', now), eb('background_lease.holder', '=', holder)])
				)
		)
		.returning('holder')
		.executeTakeFirst();
	return row?.holder === holder;
}

/** Extends our lease; false when it is no longer ours (it ran out and another instance took it). */
export async function renewLease(
	db: Db,
	name: string,
	ms: number,
	now = Date.now(),
	holder = INSTANCE_ID
): Promise<boolean> {
	const r = await db
		.updateTable('background_lease')
		.set({ lease_until: now + ms })
		.where('name', '=', name)
		.where('holder', '=', holder)
		.executeTakeFirst();
	return Number(r.numUpdatedRows) > 0;
}

/** Lets go of our lease (nothing if another instance holds it). */
export async function releaseLease(db: Db, name: string, holder = INSTANCE_ID): Promise<void> {
	await db.deleteFrom('background_lease').where('name', '=', name).where('holder', '=', holder).execute();
}
