import { PostgresAdapter, sql, type Kysely } from 'kysely';
import {
	EQUALITY_COLUMNS,
	GROUP_SET_CHANNEL_EQUALITY_KEY,
	GROUP_SET_CHANNEL_EQUALITY_TABLE,
	REBUILD_GROUP_SET_CHANNEL_EQUALITY,
	groupSetChannelEqualityRow
} from './lib/aggregate-sql';
import { createCountTable } from './lib/count-table';
import { createTriggers, dropTriggers, submissionRowTriggers } from './lib/trigger-sql';

// Frozen: never import application code here; a later change gets a new migration. The SQL fragments come
// from lib/aggregate-sql.ts (frozen with the migrations that use it), which the rebuild imports too.

/**
 * The equality tables under a channel filter (issue #19): submissions per consultation × group set × district ×
 * channel × the five equality answers, as 0500's group-set equality table without the channel. Read by a scope's
 * equality combinations (and district × equality cross-tabs) with a channel filter, alone or with a group and / or
 * district filter, which otherwise read the submissions (child + online at a million answers: most of the page).
 * Submission triggers only, as 0110: insert, delete (BEFORE) and update of a keyed column (the group set included:
 * 0500's perspective triggers update it on the submission, and this trigger moves the count).
 */

/** The submission triggers described above. */
const triggers = (pg: boolean) =>
	submissionRowTriggers('agg_gsce', groupSetChannelEqualityRow, ['consultation_id', 'group_set', 'district_code', 'channel', ...EQUALITY_COLUMNS], pg);

export async function up(db: Kysely<any>): Promise<void> {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	await createCountTable(db, GROUP_SET_CHANNEL_EQUALITY_TABLE, GROUP_SET_CHANNEL_EQUALITY_KEY, { consultation_id: 'integer' });
	for (const s of REBUILD_GROUP_SET_CHANNEL_EQUALITY) await sql.raw(s).execute(db);
	await createTriggers(db, pg, triggers(pg));
}

export async function down(db: Kysely<any>): Promise<void> {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	await dropTriggers(db, pg, triggers(pg));
	await db.schema.dropTable(GROUP_SET_CHANNEL_EQUALITY_TABLE).ifExists().execute();
}
