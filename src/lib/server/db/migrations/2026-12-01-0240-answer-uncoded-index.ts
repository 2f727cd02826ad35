import { sql, type Kysely } from 'kysely';

// Frozen: never import application code here; a later change gets a new migration.

/**
 * Background coding at national scale (issue #19): the coder asks, chunk by chunk, for a question's next answers
 * in id order, either those not yet coded (new arrivals) or all of them (a recode). Without a fitting index both
 * engines found the question's rows through answer_question (question_id, perspective_id) and sorted all of them
 * for every chunk, and counted or listed uncoded answers by reading every row: at 1,000,000 answers each such
 * query held the server's main thread for seconds (SQLite is synchronous there) and the run took ten times its
 * CPU time. Two indexes:
 * - answer_question_id (question_id, id): a recode's chunks walk the question's answers in id order;
 * - answer_uncoded (question_id, id) WHERE coded_at IS NULL AND text IS NOT NULL, partial: holds only the answers
 *   waiting for the coder, so finding, counting and fetching them reads those entries and nothing else, and an
 *   answer leaves it when it is coded.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.createIndex('answer_question_id').on('answer').columns(['question_id', 'id']).execute();
	await sql`create index answer_uncoded on answer (question_id, id) where coded_at is null and text is not null`.execute(
		db
	);
}
