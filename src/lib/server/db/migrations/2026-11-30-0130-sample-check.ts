import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen: never import application code here; a later change gets a new migration.

function isPostgres(db: Kysely<any>): boolean {
	return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * "Check a sample" (issue #12 item 6):
 * - sample_check: one draw of machine-coded answers for a consultation: the seed and size asked
 *   for, who started it and when. The draw is stored, so it is repeatable and auditable.
 * - sample_check_item: the answers drawn, in the order they are shown, each with a snapshot of
 *   the machine's theme ids at the time of the draw (JSON array) and, once checked, the officer's
 *   theme ids (JSON array) or "skipped". Ids only: no words of the answers.
 * - answer_theme_human: a partial index of officers' decisions (source = 'human').
 */
export async function up(db: Kysely<any>): Promise<void> {
	const pg = isPostgres(db);
	const check = pg
		? db.schema.createTable('sample_check').addColumn('id', 'serial', (c) => c.primaryKey())
		: db.schema.createTable('sample_check').addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
	await check
		.addColumn('consultation_id', 'integer', (c) => c.notNull().references('consultation.id').onDelete('cascade'))
		.addColumn('seed', 'integer', (c) => c.notNull())
		.addColumn('requested', 'integer', (c) => c.notNull())
		.addColumn('created_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('sample_check_consultation')
		.on('sample_check')
		.columns(['consultation_id', 'created_at'])
		.execute();

	await db.schema
		.createTable('sample_check_item')
		.addColumn('sample_check_id', 'integer', (c) => c.notNull().references('sample_check.id').onDelete('cascade'))
		.addColumn('position', 'integer', (c) => c.notNull())
		.addColumn('answer_id', 'integer', (c) => c.notNull().references('answer.id').onDelete('cascade'))
		.addColumn('question_id', 'integer', (c) => c.notNull().references('question.id').onDelete('cascade'))
		.addColumn('machine_themes', 'text', (c) => c.notNull())
		.addColumn('officer_themes', 'text')
		.addColumn('status', 'text', (c) =>
			c
				.notNull()
				.defaultTo('pending')
				.check(sql`status in ('pending','checked','skipped')`)
		)
		.addColumn('checked_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('checked_at', 'text')
		.addPrimaryKeyConstraint('sample_check_item_pk', ['sample_check_id', 'position'])
		.addUniqueConstraint('sample_check_item_answer', ['sample_check_id', 'answer_id'])
		.execute();
	// Officers' decisions are few beside the engine's rows: a partial index finds them without
	// scanning every coding (the method statement and the sample's pool ask on every page view).
	await db.schema
		.createIndex('answer_theme_human')
		.on('answer_theme')
		.columns(['answer_id'])
		.where(sql.ref('source'), '=', 'human')
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropIndex('answer_theme_human').ifExists().execute();
	await db.schema.dropTable('sample_check_item').ifExists().execute();
	await db.schema.dropTable('sample_check').ifExists().execute();
}
