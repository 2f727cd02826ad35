import { CompiledQuery, SqliteAdapter } from 'kysely';
import type { Db } from '../db/connect';
import { envSwitch } from '../../analysis/switches';
import { uuidV7 } from '../survey/ids';

/**
 * A time-ordered key for submissions whose client sent a random id (issue #18, docs/deployment.md, thirty-second
 * round; migration 2026-12-13-0100). Six of the b-trees a submission writes are keyed by `submission.id`; keyed by
 * random (version-4) ids, as API clients and the bench send them, each entry lands on a leaf of its own once the
 * database has grown, and a grouped commit writes about one page per entry. The survey's grouped writer therefore
 * stores such a submission under a version-7 id of its own (the time in its first 48 bits), with the client's id in
 * `client_id`; an id that is already version 7 (the survey's own drafts, ids.ts) is kept as the row's id. The
 * perspectives and answers reference the row's id, so every join, trigger, view and index is as it was.
 *
 * What stays the client's id: the reference (a hash of it, so a resend, and a resend after a crash, is still found
 * by its unique index and answered with the same reference), what the API answers (`id`), and the draft it came
 * from. Off with SUBMISSION_SERVER_IDS=off (read at each grouped commit): every row keyed by its client's id as
 * before (the replay's look-up still finds rows stored under a server id, so switching it off loses nothing).
 */
export function serverIdsOn(): boolean {
	return envSwitch('SUBMISSION_SERVER_IDS') !== 'off';
}

/** Whether `id` is a UUID of version 7 (RFC 9562 variant): time-ordered, kept as the row's own id. */
export function isTimeOrdered(id: string): boolean {
	return id.length === 36 && id[14] === '7' && /^[89ab]$/i.test(id[19]);
}

/** The row's id for a submission its client sent as `clientId` (lower case): its own if time-ordered, else a new one. */
export function rowIdFor(clientId: string, now?: number): string {
	return isTimeOrdered(clientId) ? clientId : uuidV7(now);
}

const SQLITE_PROBE = CompiledQuery.raw(
	`select count(*) as n from pragma_table_info('submission') where name = 'client_id'`
);
const PG_PROBE = CompiledQuery.raw(
	`select count(*) as n from information_schema.columns
	 where table_schema = current_schema() and table_name = 'submission' and column_name = 'client_id'`
);

const known = new WeakMap<object, Promise<boolean>>();

/**
 * Whether `db`'s schema has `submission.client_id` (migration 2026-12-13-0100): probed once per handle, then kept
 * (the bench's A/B runs the migration's down before its server starts; a test that drops it calls
 * forgetClientIdColumn).
 */
export function clientIdColumn(db: Db): Promise<boolean> {
	let probe = known.get(db);
	if (!probe) {
		const query = db.getExecutor().adapter instanceof SqliteAdapter ? SQLITE_PROBE : PG_PROBE;
		probe = db.executeQuery<{ n: number | string }>(query).then((r) => Number(r.rows[0]?.n ?? 0) > 0);
		known.set(db, probe);
		probe.catch(() => known.delete(db));
	}
	return probe;
}

export function forgetClientIdColumn(db: Db) {
	known.delete(db);
}
