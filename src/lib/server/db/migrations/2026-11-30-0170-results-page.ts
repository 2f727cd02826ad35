import { PostgresAdapter, type Kysely, type CreateTableBuilder } from 'kysely';

// Frozen: never import application code here; a later change gets a new migration.

function withId<T extends string>(db: Kysely<any>, table: CreateTableBuilder<T, never>) {
	return db.getExecutor().adapter instanceof PostgresAdapter
		? table.addColumn('id', 'serial', (c) => c.primaryKey())
		: table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

/**
 * The public results page ("You said, we did") of a consultation:
 * - results_page: one row per consultation once an officer has touched it;
 *   status draft -> published -> withdrawn (and back to published); an officer's
 *   short introduction. No row = draft, nothing public.
 * - results_action: what the council is doing about one theme (action, who, when, status).
 * - results_action_update: every save of an action, dated, so the public page can
 *   show how it moved over time.
 * - quote.public_at / public_by: an officer approved this starred quote for the
 *   public page (starring is for the staff report; publishing is a second decision).
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('results_page')
		.addColumn('consultation_id', 'integer', (c) => c.primaryKey().references('consultation.id').onDelete('cascade'))
		.addColumn('status', 'text', (c) => c.notNull().defaultTo('draft'))
		.addColumn('summary', 'text')
		.addColumn('published_at', 'text')
		.addColumn('withdrawn_at', 'text')
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.addColumn('updated_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
		.execute();
	await withId(db, db.schema.createTable('results_action'))
		.addColumn('consultation_id', 'integer', (c) => c.notNull().references('consultation.id').onDelete('cascade'))
		.addColumn('theme_id', 'integer', (c) => c.notNull().references('theme.id').onDelete('cascade'))
		.addColumn('action', 'text', (c) => c.notNull())
		.addColumn('owner', 'text', (c) => c.notNull())
		.addColumn('due', 'text', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.addColumn('updated_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
		.execute();
	await db.schema
		.createIndex('results_action_consultation')
		.on('results_action')
		.columns(['consultation_id', 'theme_id'])
		.execute();
	await withId(db, db.schema.createTable('results_action_update'))
		.addColumn('action_id', 'integer', (c) => c.notNull().references('results_action.id').onDelete('cascade'))
		.addColumn('at', 'text', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('note', 'text')
		.addColumn('user_id', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
		.execute();
	await db.schema.createIndex('results_action_update_action').on('results_action_update').column('action_id').execute();
	await db.schema.alterTable('quote').addColumn('public_at', 'text').execute();
	await db.schema
		.alterTable('quote')
		.addColumn('public_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('quote').dropColumn('public_by').execute();
	await db.schema.alterTable('quote').dropColumn('public_at').execute();
	await db.schema.dropTable('results_action_update').ifExists().execute();
	await db.schema.dropTable('results_action').ifExists().execute();
	await db.schema.dropTable('results_page').ifExists().execute();
}
