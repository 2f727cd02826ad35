import { randomBytes } from 'node:crypto';
import { PostgresAdapter, type Kysely } from 'kysely';

// Frozen: never import application code here; a later change gets a new migration.

/**
 * State that several app instances on one PostgreSQL must share (issue 18):
 * - rate_limit: counters of rate-limiter-flexible's PostgreSQL store (the table it would create itself).
 *   Keys are keyed hashes of client addresses (never the addresses), with installation_secret's key.
 * - installation_secret: random values every instance reads (here, that hashing key).
 * - import_preview: an upload parsed for preview, held until it is committed or 30 minutes pass, with the
 *   progress of its commit, so the preview, commit and progress requests may reach any instance.
 * - coding_job: background coding and recoding, claimed by one instance at a time under a lease; an instance
 *   that dies leaves its lease to run out and another claims the job.
 */
export async function up(db: Kysely<any>): Promise<void> {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	await db.schema
		.createTable('rate_limit')
		.addColumn('key', 'varchar(255)', (c) => c.primaryKey())
		.addColumn('points', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('expire', 'bigint')
		.execute();
	await db.schema
		.createTable('installation_secret')
		.addColumn('name', 'text', (c) => c.primaryKey())
		.addColumn('value', 'text', (c) => c.notNull())
		.execute();
	await db
		.insertInto('installation_secret')
		.values({ name: 'rate-limit-key', value: randomBytes(32).toString('base64url') })
		.execute();
	await db.schema
		.createTable('import_preview')
		.addColumn('token', 'text', (c) => c.primaryKey())
		.addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addColumn('consultation_id', 'integer', (c) => c.notNull().references('consultation.id').onDelete('cascade'))
		.addColumn('filename', 'text', (c) => c.notNull())
		.addColumn('hash', 'text', (c) => c.notNull())
		.addColumn('sheet', 'text')
		.addColumn('chars', 'integer', (c) => c.notNull())
		.addColumn('expires_at', 'bigint', (c) => c.notNull())
		.addColumn('job_status', 'text')
		.addColumn('job_total', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('job_done', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('job_result', 'text')
		.addColumn('job_error', 'text')
		.execute();
	await db.schema.createIndex('import_preview_expires').on('import_preview').column('expires_at').execute();
	await db.schema
		.createTable('coding_job')
		.addColumn('id', pg ? 'serial' : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
		.addColumn('job_key', 'text', (c) => c.notNull().unique())
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('question_id', 'integer', (c) => c.references('question.id').onDelete('cascade'))
		.addColumn('requested', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('claimed_by', 'text')
		.addColumn('lease_until', 'bigint')
		.addColumn('runs', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	for (const t of ['coding_job', 'import_preview', 'installation_secret', 'rate_limit'])
		await db.schema.dropTable(t).ifExists().execute();
}
