import { sql, type Kysely } from 'kysely';

// Frozen: never import application code here; a later change gets a new migration.

/**
 * Fewer index pages written by every grouped submission commit (issue #18). An index whose new entries go to the end
 * of a run (a question's, or the NULLs') costs one leaf in every commit, whatever its size. Three such leaves go, and
 * no statement loses its index (EXPLAIN QUERY PLAN of every statement the analysis, review, coding, export,
 * retention, entry and survey tests and twelve analysis views prepare, at 100,000 answers; docs/deployment.md):
 *
 * 1. `answer_coded_at` (question_id, coded_at), from 2026-12-01-0400, made partial: WHERE coded_at IS NOT NULL. A new
 *    answer has no coded_at, so the full index put every submitted answer at the end of its question's NULL run (a
 *    leaf per question a commit); its readers ask for coded answers only ("when a question was last coded",
 *    `max(coded_at)`, sample-check/method.ts, which now says `coded_at is not null` as the reviewed_at one beside it
 *    does, so that both engines may use a partial index; the same result, max ignoring nulls; and the sample check's
 *    pool, `coded_at is not null`). The answers waiting for the coder are found through answer_uncoded, as before.
 *    A coding write now inserts the answer's entry instead of moving it out of the NULL run.
 * 2. `submission_session` (collection_session_id), from the core migration, made partial: WHERE collection_session_id
 *    IS NOT NULL. An online submission has no collection session, so every grouped commit wrote the end of the NULL
 *    run; every reader names a session (`= ?`, `is not null`), and so does the foreign key's ON DELETE SET NULL
 *    (SQLite's look-up for it opens the partial index; PostgreSQL's `= $1` implies not null).
 *
 * Both engines.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.dropIndex('answer_coded_at').ifExists().execute();
	await sql`create index answer_coded_at on answer (question_id, coded_at) where coded_at is not null`.execute(db);
	await db.schema.dropIndex('submission_session').ifExists().execute();
	await sql`create index submission_session on submission (collection_session_id) where collection_session_id is not null`.execute(
		db
	);
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropIndex('submission_session').ifExists().execute();
	await db.schema.createIndex('submission_session').on('submission').column('collection_session_id').execute();
	await db.schema.dropIndex('answer_coded_at').ifExists().execute();
	await db.schema.createIndex('answer_coded_at').on('answer').columns(['question_id', 'coded_at']).execute();
}
