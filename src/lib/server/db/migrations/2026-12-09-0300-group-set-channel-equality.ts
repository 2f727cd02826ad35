import { PostgresAdapter, sql, type Kysely } from 'kysely';
import {
	EQUALITY_COLUMNS,
	GROUP_SET_CHANNEL_EQUALITY_KEY,
	GROUP_SET_CHANNEL_EQUALITY_TABLE,
	REBUILD_GROUP_SET_CHANNEL_EQUALITY,
	groupSetChannelEqualityRow
} from './lib/aggregate-sql';
import { anyChanged, createTriggers, dropTriggers } from './lib/trigger-sql';

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

interface Trig {
	name: string;
	timing: 'before' | 'after';
	op: 'insert' | 'update' | 'delete';
	when?: string[];
	body: string[];
}

const TRIGGERS: Trig[] = [
	{ name: 'agg_gsce_submission_insert', timing: 'after', op: 'insert', body: [groupSetChannelEqualityRow('new', 1)] },
	{ name: 'agg_gsce_submission_delete', timing: 'before', op: 'delete', body: [groupSetChannelEqualityRow('old', -1)] },
	{
		name: 'agg_gsce_submission_update',
		timing: 'after',
		op: 'update',
		when: ['consultation_id', 'group_set', 'district_code', 'channel', ...EQUALITY_COLUMNS],
		body: [groupSetChannelEqualityRow('old', -1), groupSetChannelEqualityRow('new', 1)]
	}
];

export async function up(db: Kysely<any>): Promise<void> {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	let t = db.schema
		.createTable(GROUP_SET_CHANNEL_EQUALITY_TABLE)
		.addColumn('consultation_id', 'integer', (c) => c.notNull())
		.addColumn('group_set', 'text', (c) => c.notNull())
		.addColumn('district_code', 'text', (c) => c.notNull())
		.addColumn('channel', 'text', (c) => c.notNull());
	for (const col of EQUALITY_COLUMNS) t = t.addColumn(col, 'text', (c) => c.notNull());
	await t
		.addColumn('n', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint(`${GROUP_SET_CHANNEL_EQUALITY_TABLE}_pk`, [...GROUP_SET_CHANNEL_EQUALITY_KEY] as never)
		.execute();
	for (const s of REBUILD_GROUP_SET_CHANNEL_EQUALITY) await sql.raw(s).execute(db);
	await createTriggers(
		db,
		pg,
		TRIGGERS.map((tr) => ({ ...tr, table: 'submission', when: tr.when && anyChanged(tr.when, pg) }))
	);
}

export async function down(db: Kysely<any>): Promise<void> {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	await dropTriggers(
		db,
		pg,
		TRIGGERS.map((tr) => ({ ...tr, table: 'submission' }))
	);
	await db.schema.dropTable(GROUP_SET_CHANNEL_EQUALITY_TABLE).ifExists().execute();
}
