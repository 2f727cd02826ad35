import type { Kysely } from 'kysely';

// Frozen: never import application code here; a later change gets a new migration.

/**
 * `submission.client_id` (text, null): the id an API client sent, when the server keyed the row by a time-ordered
 * id of its own instead (issue #18, docs/deployment.md, thirty-second round). Six of the b-trees a submission
 * writes are keyed by `submission.id` (its primary key, `submission_consultation_id`, `perspective_unique`,
 * `perspective_group`, `answer_question_submission`; and `reference`, a hash of the client's id): keyed by a random
 * id (version 4, what API clients send), each new entry lands on a leaf of its own once they are large, and a
 * submission costs about half again as many pages written as one keyed by a time-ordered id (version 7).
 *
 * The survey's grouped writer (survey/batch-store.ts, submissions/save.ts) now stores a submission whose id is not
 * time-ordered under a new version-7 id, with the client's id here; an id that is already version 7 (the survey's
 * own drafts) is kept as the row's id and this column is null. No index: a resend is found by its reference (a hash
 * of the client's id, unique, as before), and this column tells that row's client id apart from a reference that
 * collides. Rows stored before this migration, and every other way in (staff entry, imports, paper), keep the
 * client's id as their id and null here.
 *
 * Both engines (adding and dropping a nullable column without a default is a change to the catalogue only).
 * `down` drops the column: rows stored under a server id keep it, and their client id is lost, so a resend of one
 * after the down is refused by the reference's unique index (never doubled). The bench's A/B (AB_DOWN) runs it on a
 * new database, before any submission.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('submission').addColumn('client_id', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('submission').dropColumn('client_id').execute();
}
