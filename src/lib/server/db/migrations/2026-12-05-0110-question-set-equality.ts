import { PostgresAdapter, sql, type Kysely } from 'kysely';
import {
	EQUALITY_COLUMNS,
	QUESTION_SET_EQUALITY_KEY,
	QUESTION_SET_EQUALITY_TABLE,
	REBUILD_QUESTION_SET_EQUALITY,
	questionSetEqualityRow
} from './lib/aggregate-sql';
import { anyChanged, createTriggers, dropTriggers } from './lib/trigger-sql';

// Frozen: never import application code here; a later change gets a new migration. The SQL fragments come
// from lib/aggregate-sql.ts (frozen with the migrations that use it), which the rebuild imports too.

/**
 * The equality tables under a question filter (issue #19): submissions per consultation × question set × group
 * set × district × the five equality answers, from the sets of migration 2026-12-05-0100, as 0500's group-set
 * equality table is for a group filter. Read by a question scope's equality combinations, also with a group and / or
 * district filter (a channel or date filter still reads the submissions). Submission triggers only: insert, delete
 * (BEFORE) and update of a keyed column (the sets included: the answer and perspective triggers of 0100 and 0500
 * update them on the submission, and this trigger moves the count).
 */

interface Trig {
	name: string;
	timing: 'before' | 'after';
	op: 'insert' | 'update' | 'delete';
	when?: string[];
	body: string[];
}

const TRIGGERS: Trig[] = [
	{ name: 'agg_qse_submission_insert', timing: 'after', op: 'insert', body: [questionSetEqualityRow('new', 1)] },
	{ name: 'agg_qse_submission_delete', timing: 'before', op: 'delete', body: [questionSetEqualityRow('old', -1)] },
	{
		name: 'agg_qse_submission_update',
		timing: 'after',
		op: 'update',
		when: ['consultation_id', 'question_set', 'group_set', 'district_code', ...EQUALITY_COLUMNS],
		body: [questionSetEqualityRow('old', -1), questionSetEqualityRow('new', 1)]
	}
];

export async function up(db: Kysely<any>): Promise<void> {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	let t = db.schema
		.createTable(QUESTION_SET_EQUALITY_TABLE)
		.addColumn('consultation_id', 'integer', (c) => c.notNull())
		.addColumn('question_set', 'text', (c) => c.notNull())
		.addColumn('group_set', 'text', (c) => c.notNull())
		.addColumn('district_code', 'text', (c) => c.notNull());
	for (const col of EQUALITY_COLUMNS) t = t.addColumn(col, 'text', (c) => c.notNull());
	await t
		.addColumn('n', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint(`${QUESTION_SET_EQUALITY_TABLE}_pk`, [...QUESTION_SET_EQUALITY_KEY] as never)
		.execute();
	for (const s of REBUILD_QUESTION_SET_EQUALITY) await sql.raw(s).execute(db);
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
	await db.schema.dropTable(QUESTION_SET_EQUALITY_TABLE).ifExists().execute();
}
