import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen: never import application code here; a later change gets a new migration.

function isPostgres(db: Kysely<any>): boolean {
	return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * Safeguarding in the app (issue #10 items 2–4):
 * - answer.risk_score: the screen's 0..1 score, stored when the answer is stored;
 *   answer.model_score: the learned ranker's 0..1 score, null until a model exists.
 *   Answers stored before this migration get their risk score at start-up.
 * - answer_read: who read which answer, when (first read per person).
 * - safeguarding_concern: a person's worry about an answer, with their note (people's words:
 *   deleted with the answer's text under retention).
 * - safeguarding_model: the ranker's weights, when it learned and from how many decisions;
 *   consultation_id null is the installation-wide model.
 */
export async function up(db: Kysely<any>): Promise<void> {
	const pg = isPostgres(db);
	await db.schema.alterTable('answer').addColumn('risk_score', 'real').execute();
	await db.schema.alterTable('answer').addColumn('model_score', 'real').execute();

	await db.schema
		.createTable('answer_read')
		.addColumn('answer_id', 'integer', (c) => c.notNull().references('answer.id').onDelete('cascade'))
		.addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addColumn('read_at', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('answer_read_pk', ['answer_id', 'user_id'])
		.execute();
	await db.schema.createIndex('answer_read_at').on('answer_read').columns(['read_at']).execute();

	const concern = pg
		? db.schema.createTable('safeguarding_concern').addColumn('id', 'serial', (c) => c.primaryKey())
		: db.schema.createTable('safeguarding_concern').addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
	await concern
		.addColumn('answer_id', 'integer', (c) => c.notNull().references('answer.id').onDelete('cascade'))
		.addColumn('level', 'text', (c) => c.notNull().check(sql`level in ('urgent','review')`))
		.addColumn('note', 'text')
		.addColumn('raised_via', 'text', (c) => c.notNull().check(sql`raised_via in ('review','reading','entry','queue')`))
		.addColumn('raised_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('safeguarding_concern_answer')
		.on('safeguarding_concern')
		.columns(['answer_id'])
		.execute();

	const model = pg
		? db.schema.createTable('safeguarding_model').addColumn('id', 'serial', (c) => c.primaryKey())
		: db.schema.createTable('safeguarding_model').addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
	await model
		.addColumn('consultation_id', 'integer', (c) => c.references('consultation.id').onDelete('cascade'))
		.addColumn('weights', 'text', (c) => c.notNull())
		.addColumn('decisions', 'integer', (c) => c.notNull())
		.addColumn('positives', 'integer', (c) => c.notNull())
		.addColumn('negatives', 'integer', (c) => c.notNull())
		.addColumn('trained_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('safeguarding_model_scope')
		.on('safeguarding_model')
		.columns(['consultation_id', 'trained_at'])
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('safeguarding_model').ifExists().execute();
	await db.schema.dropTable('safeguarding_concern').ifExists().execute();
	await db.schema.dropTable('answer_read').ifExists().execute();
	await db.schema.alterTable('answer').dropColumn('model_score').execute();
	await db.schema.alterTable('answer').dropColumn('risk_score').execute();
}
