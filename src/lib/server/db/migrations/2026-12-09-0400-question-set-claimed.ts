import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { questionSetOf, refreshQuestionSet } from './lib/aggregate-sql';

// Frozen: never import application code here; a later change gets a new migration. The SQL fragments come
// from lib/aggregate-sql.ts (frozen with the migrations that use it).

/**
 * The answer's insert trigger of 2026-12-05-0100 (SQLite) no longer recomputes a question set that already lists
 * the new answer's question (issue #18, the submission path's CPU). SQLite runs row triggers as each row is
 * inserted, so every answer of a submission recomputed its perspective's and its submission's sets and changed
 * them ('' → '|1|' → '|1|2|' → …), and each change fired the update triggers that take the row out of one
 * question-set count and into the next (two upserts each, on analysis_agg_question_set, _perspective and
 * _equality, plus the data-version bumps): six updates and some twenty upserts for a three-answer submission.
 *
 * A set that already holds the answer's question cannot change by that answer: in a set kept exact, that means
 * another answer of the submission (or perspective) to the same question, and the recomputation would find what
 * is stored. So the trigger skips it (`instr`) and otherwise does what it did. The grouped commit
 * (submissions/save.ts, storeSubmissions) writes each new perspective's and submission's set with the row, from
 * the answers it is about to insert in the same transaction, so the rows are counted under their final sets at
 * insert and the answers' triggers find nothing to do; it then recomputes the sets of that batch's rows once
 * (refreshQuestionSet, the `<>` guard: a no-op when they are right), so a wrong claim costs time, never counts.
 * Every other writer leaves the column at its default '' and is unaffected.
 *
 * PostgreSQL is unchanged: its row AFTER triggers run at the end of the statement, when every answer of the
 * insert is there, so the recomputation already finds the claimed set and updates nothing.
 */
const skipIfListed = (table: 'perspective' | 'submission', id: string) => {
	const col = table === 'submission' ? 'submission_id' : 'perspective_id';
	return `update ${table} set question_set = ${questionSetOf(col, id, false)}
	 where id = ${id} and instr(question_set, '|' || new.question_id || '|') = 0
	   and question_set <> ${questionSetOf(col, id, false)}`;
};

async function replace(db: Kysely<any>, body: string[]) {
	await sql.raw('drop trigger if exists agg_qs_answer_insert').execute(db);
	await sql
		.raw(`create trigger agg_qs_answer_insert after insert on answer begin ${body.map((s) => `${s};`).join('\n')} end`)
		.execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
	if (db.getExecutor().adapter instanceof PostgresAdapter) return;
	await replace(db, [skipIfListed('perspective', 'new.perspective_id'), skipIfListed('submission', 'new.submission_id')]);
}

export async function down(db: Kysely<any>): Promise<void> {
	if (db.getExecutor().adapter instanceof PostgresAdapter) return;
	await replace(db, [
		refreshQuestionSet('perspective', 'new.perspective_id', false),
		refreshQuestionSet('submission', 'new.submission_id', false)
	]);
}
