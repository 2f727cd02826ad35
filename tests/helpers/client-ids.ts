import type { Db } from '../../src/lib/server/db/connect';

/**
 * The survey's writer stores a submission whose client sent a random id under a time-ordered row id of its own,
 * with the client's id in submission.client_id (submissions/client-ids.ts, migration 2026-12-13-0100). These map
 * the ids a test sent to the rows' ids and back, for tests that read the rows by the ids they sent.
 */
export async function rowIdsByClient(db: Db, clientIds: readonly string[]): Promise<Map<string, string>> {
	const out = new Map<string, string>();
	if (clientIds.length === 0) return out;
	const rows = await db
		.selectFrom('submission')
		.select(['id', 'client_id'])
		.where((eb) => eb.or([eb('id', 'in', [...clientIds]), eb('client_id', 'in', [...clientIds])]))
		.execute();
	for (const r of rows) out.set(r.client_id ?? r.id, r.id);
	return out;
}

/** The row ids of the submissions sent with these ids, in the same order (a client id with no row kept as it is). */
export async function rowIdsOf(db: Db, clientIds: readonly string[]): Promise<string[]> {
	const map = await rowIdsByClient(db, clientIds);
	return clientIds.map((id) => map.get(id) ?? id);
}

/** The row id of the submission sent with this id (itself when there is none). */
export async function rowIdOf(db: Db, clientId: string): Promise<string> {
	return (await rowIdsOf(db, [clientId]))[0];
}
