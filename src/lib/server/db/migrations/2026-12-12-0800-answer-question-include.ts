import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen: never import application code here; a later change gets a new migration.

/**
 * PostgreSQL: `answer_question` (question_id, perspective_id) and `answer_question_submission` (question_id,
 * submission_id) merged into one index, `answer_question` (question_id, perspective_id) INCLUDE (submission_id)
 * (issue #18: every index on `answer` takes an entry per answer in every grouped commit). The merged index has the
 * old `answer_question`'s keys and order, so every statement that searched it (the question filter's "perspectives
 * that answered question N", the joins on (question_id, perspective_id)) keeps its plan; the submission id rides in
 * the leaf, so "the submissions that answered question N" (analysis/scope.ts, the question filter at the
 * submission level) stays an index-only scan of the question's entries. The index dropped was keyed by the
 * submission's UUID, so every answer landed on a random leaf of it; the merged one's entries follow the perspective
 * id, a sequence, so a grouped commit appends them at the end of each question's run. The foreign key
 * answer.submission_id → submission keeps its own index, `answer_submission` (2026-12-12-0400 kept it on PostgreSQL).
 *
 * SQLite is unchanged: it has no INCLUDE, and each of its seven plain indexes on `answer` has a reader that would
 * lose its index or get slower without it (docs/deployment.md, the twenty-ninth round: EXPLAIN QUERY PLAN of 780
 * statements at 100,000 answers; `answer_question_submission` is also its only way to the foreign key
 * answer.submission_id's rows, a skip-scan, since 2026-12-12-0400 dropped `answer_submission` there).
 */
export async function up(db: Kysely<any>): Promise<void> {
	if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
	await sql`create index answer_question_merged on answer (question_id, perspective_id) include (submission_id)`.execute(
		db
	);
	await db.schema.dropIndex('answer_question').ifExists().execute();
	await db.schema.dropIndex('answer_question_submission').ifExists().execute();
	await sql`alter index answer_question_merged rename to answer_question`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
	await db.schema.createIndex('answer_question_submission').on('answer').columns(['question_id', 'submission_id']).execute();
	await db.schema.dropIndex('answer_question').ifExists().execute();
	await db.schema.createIndex('answer_question').on('answer').columns(['question_id', 'perspective_id']).execute();
}
