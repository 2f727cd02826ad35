import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { createTriggers, dropTriggers, type TriggerSql } from './lib/trigger-sql';
import {
	LANGUAGE_KEY,
	LANGUAGE_TABLE,
	REBUILD_LANGUAGE,
	languageMoved,
	languageRow
} from './lib/aggregate-sql';

// Frozen: never import application code here; a later change gets a new migration. The SQL fragments come
// from lib/aggregate-sql.ts (frozen with the migrations that use it), which the rebuild imports too.

/**
 * Answers per language (issue #19: the dashboard's "Answers by language" counted every answer of the
 * consultation on every request, 0.8 s CPU of the unfiltered dashboard at a million answers on SQLite), kept by
 * SQL triggers in the same transaction as every write, like the aggregates of 0220–0500 and 0200 (2 December):
 *
 *   analysis_agg_language: per question × language (null counted as 'en') × is_reviewed (`reviewed_at` set),
 *     `n` answers with words (text not null).
 *
 * Every cell is a function of the answer row alone (no perspective or submission), so three row triggers keep
 * it: answer insert, delete, and update when the row changes cell. A cascade from a submission or perspective
 * deletes the answers row by row, firing the answer's delete trigger, and nothing else counts them twice. On
 * PostgreSQL row AFTER triggers see their own old / new row, which is all they read, so the same row triggers
 * are exact there (no transition tables), and the update trigger's condition is in the trigger's WHEN (no
 * PL/pgSQL call for a row that stays in its cell: a coding write changes only `coded_at`, which this table does
 * not key on, so the coder's bulk delta has nothing to keep here; these triggers are not in its bypass list).
 */

interface Trig {
	name: string;
	timing: 'before' | 'after';
	op: 'insert' | 'update' | 'delete';
	when?: (pg: boolean) => string;
	body: string[];
}

const TRIGGERS: Trig[] = [
	{ name: 'agg_language_answer_insert', timing: 'after', op: 'insert', body: [languageRow('new', 1)] },
	{ name: 'agg_language_answer_delete', timing: 'before', op: 'delete', body: [languageRow('old', -1)] },
	{
		name: 'agg_language_answer_update',
		timing: 'after',
		op: 'update',
		when: languageMoved,
		body: [languageRow('old', -1), languageRow('new', 1)]
	}
];

/** The triggers on this engine (all on answer). */
const triggers = (pg: boolean): TriggerSql[] =>
	TRIGGERS.map(({ when, ...t }) => ({ ...t, table: 'answer', when: when?.(pg) }));

export async function up(db: Kysely<any>): Promise<void> {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	await db.schema
		.createTable(LANGUAGE_TABLE)
		.addColumn('question_id', 'integer', (c) => c.notNull())
		.addColumn('language', 'text', (c) => c.notNull())
		.addColumn('is_reviewed', 'integer', (c) => c.notNull())
		.addColumn('n', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint(`${LANGUAGE_TABLE}_pk`, [...LANGUAGE_KEY])
		.execute();
	await createTriggers(db, pg, triggers(pg));
	for (const s of REBUILD_LANGUAGE) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	await dropTriggers(db, pg, triggers(pg));
	await db.schema.dropTable(LANGUAGE_TABLE).ifExists().execute();
}
