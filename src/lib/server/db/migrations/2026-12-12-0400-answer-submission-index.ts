import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen: never import application code here; a later change gets a new migration.

/**
 * SQLite: drops `answer_submission` (answer.submission_id), from 2026-11-22-0001 (issue #18: the log pages a
 * submission writes). Keyed by the submission's UUID, it lands on a random leaf on every answer: about 1.4 of the
 * ≈ 14.7 log pages a submission writes at batches of ten. Its readers go through the perspective instead, on both
 * engines: "the answers of submission S" becomes "the answers of S's perspectives" (`perspective_unique`
 * (submission_id, position), then `answer_unique` (perspective_id, question_id)), an index search either way.
 *
 * PostgreSQL keeps the index: the foreign key answer.submission_id → submission (on delete cascade) looks a deleted
 * submission's answers up by submission_id (`DELETE FROM ONLY answer WHERE $1 = submission_id`, the key's own
 * statement, not one this rewrite reaches), and PostgreSQL 15 has no skip scan, so without the index every
 * submission deleted (retention, entry deletes) would be a sequential scan of `answer`. SQLite's same lookup is a
 * skip-scan of answer_question_submission (question_id, submission_id) (`ANY(question_id) AND submission_id=?`, one
 * seek per distinct question in the table, with the sqlite_stat1 the connection's `optimize` on open writes).
 *
 * The triggers: every `A.submission_id = X` of an answer alias A (a, a2, qa) with X a trigger row's value (old.id,
 * new.id, old.submission_id, new.submission_id) becomes `(A.perspective_id in (select ans_p.id from perspective ans_p
 * where ans_p.submission_id = X) and A.submission_id = X)` (SQLite: `+A.submission_id`, see throughPerspective), and the theme cube's `join answer a2 on a2.submission_id
 * = tp.sid` becomes a join through `perspective ans_p` first. The answer's own submission_id is still tested, so an
 * answer whose perspective is another submission's (nothing writes one; the schema allows it) is counted where it was
 * before or not at all, never twice. The text is rewritten in place (SQLite: sqlite_master; PostgreSQL: the trigger
 * functions' definitions), and `down` rewrites it back byte for byte, then recreates the index. Both engines.
 *
 * The application's own readers (retention, entry lists, the coding store, the analysis filter) changed with this
 * migration in the same commit and read a submission's answers through its perspectives too.
 */

/** The answer aliases whose `submission_id = <trigger value>` the triggers test. */
const ROW_VALUE = /\b(a|a2|qa)\.submission_id = ((?:old|new)\.(?:id|submission_id))\b/g;
const ROW_VALUE_BACK =
	/\((a|a2|qa)\.perspective_id in \(select ans_p\.id from perspective ans_p where ans_p\.submission_id = ((?:old|new)\.(?:id|submission_id))\) and \+?\1\.submission_id = \2\)/g;
const CUBE_JOIN = /\bjoin answer a2 on a2\.submission_id = tp\.sid\b/g;
const CUBE_JOIN_BACK =
	/\bjoin perspective ans_p on ans_p\.submission_id = tp\.sid join answer a2 on a2\.perspective_id = ans_p\.id and \+?a2\.submission_id = tp\.sid\b/g;

/**
 * The text through the perspective. SQLite: the answer's own submission_id is written `+a.submission_id`, a term no
 * index may serve, or its planner (with sqlite_stat1 saying a consultation has few questions) prefers a skip-scan of
 * answer_question_submission (question_id, submission_id), one seek per distinct question of the whole table, to the
 * submission's few perspectives; PostgreSQL has no skip scan and no unary plus on text.
 */
export function throughPerspective(text: string, pg: boolean): string {
	const plus = pg ? '' : '+';
	return text
		.replace(
			ROW_VALUE,
			(_m, a: string, x: string) =>
				`(${a}.perspective_id in (select ans_p.id from perspective ans_p where ans_p.submission_id = ${x}) and ${plus}${a}.submission_id = ${x})`
		)
		.replace(
			CUBE_JOIN,
			`join perspective ans_p on ans_p.submission_id = tp.sid join answer a2 on a2.perspective_id = ans_p.id and ${plus}a2.submission_id = tp.sid`
		);
}

export function bySubmission(text: string): string {
	return text
		.replace(ROW_VALUE_BACK, (_m, a: string, x: string) => `${a}.submission_id = ${x}`)
		.replace(CUBE_JOIN_BACK, 'join answer a2 on a2.submission_id = tp.sid');
}

/** Rewrites every trigger's text that `change` alters; the number rewritten. */
async function rewrite(db: Kysely<any>, change: (text: string, pg: boolean) => string): Promise<number> {
	let n = 0;
	if (db.getExecutor().adapter instanceof PostgresAdapter) {
		const rows = (
			await sql<{ name: string; def: string }>`select p.proname as name, pg_get_functiondef(p.oid) as def
				from pg_proc p join pg_namespace ns on ns.oid = p.pronamespace
				where ns.nspname = current_schema() and p.prorettype = 'trigger'::regtype and p.prosrc like '%submission_id%'
				order by p.proname`.execute(db)
		).rows;
		for (const r of rows) {
			const text = change(r.def, true);
			if (text === r.def) continue;
			await sql.raw(text).execute(db);
			n++;
		}
		return n;
	}
	const rows = (
		await sql<{ name: string; sql: string }>`select name, sql from sqlite_master where type = 'trigger'
			and sql like '%submission_id%' order by name`.execute(db)
	).rows;
	for (const r of rows) {
		const text = change(r.sql, false);
		if (text === r.sql) continue;
		await sql.raw(`drop trigger "${r.name}"`).execute(db);
		await sql.raw(text).execute(db);
		n++;
	}
	return n;
}

export async function up(db: Kysely<any>): Promise<void> {
	await rewrite(db, throughPerspective);
	if (!(db.getExecutor().adapter instanceof PostgresAdapter))
		await db.schema.dropIndex('answer_submission').ifExists().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await rewrite(db, bySubmission);
	await db.schema.createIndex('answer_submission').ifNotExists().on('answer').column('submission_id').execute();
}
