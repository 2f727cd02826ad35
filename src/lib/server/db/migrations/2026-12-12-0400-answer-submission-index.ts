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
 * new.id, old.submission_id, new.submission_id) or the theme cube's `tp.sid` becomes `(A.perspective_id in (select
 * ans_p.id from perspective ans_p where ans_p.submission_id = X union all select ans_l.perspective_id from
 * perspective_leaving ans_l where ans_l.submission_id = X) and A.submission_id = X)` (SQLite: `+A.submission_id`, see
 * throughPerspective). perspective_leaving holds the perspectives whose deletion is running, whose answers the foreign
 * key's cascade is deleting after the perspective row is gone (see LEAVING_SQLITE: without it the theme cube went wrong when
 * a perspective was deleted). The answer's own submission_id is still tested, so an answer whose perspective is
 * another submission's (nothing writes one; the schema allows it) is counted where it was before or not at all, never
 * twice. The text is rewritten in place (SQLite: sqlite_master; PostgreSQL: the trigger functions' definitions), and
 * `down` rewrites it back byte for byte, then recreates the index. Both engines.
 *
 * The application's own readers (retention, entry lists, the coding store, the analysis filter) changed with this
 * migration in the same commit and read a submission's answers through its perspectives too.
 */

/**
 * The perspectives a submission's answers may still be found under: its own (perspective_unique), and those whose
 * deletion is running (perspective_leaving, see LEAVING_SQLITE). `x` is the trigger row's value.
 */
const perspectivesOf = (x: string) =>
	`select ans_p.id from perspective ans_p where ans_p.submission_id = ${x} union all select ans_l.perspective_id from perspective_leaving ans_l where ans_l.submission_id = ${x}`;

/**
 * The answer aliases whose `submission_id = <value>` the triggers test: a trigger row's value (old.id, new.id,
 * old.submission_id, new.submission_id), or the theme cube's pairs' `tp.sid` (`join answer a2 on a2.submission_id =
 * tp.sid`).
 */
const ROW_VALUE = /\b(a|a2|qa)\.submission_id = ((?:old|new)\.(?:id|submission_id)|tp\.sid)\b/g;
const ROW_VALUE_BACK =
	/\((a|a2|qa)\.perspective_id in \(select ans_p\.id from perspective ans_p where ans_p\.submission_id = ((?:old|new)\.(?:id|submission_id)|tp\.sid) union all select ans_l\.perspective_id from perspective_leaving ans_l where ans_l\.submission_id = \2\) and \+?\1\.submission_id = \2\)/g;

/**
 * The text through the perspective. SQLite: the answer's own submission_id is written `+a.submission_id`, a term no
 * index may serve, or its planner (with sqlite_stat1 saying a consultation has few questions) prefers a skip-scan of
 * answer_question_submission (question_id, submission_id), one seek per distinct question of the whole table, to the
 * submission's few perspectives; PostgreSQL has no skip scan and no unary plus on text.
 */
export function throughPerspective(text: string, pg: boolean): string {
	const plus = pg ? '' : '+';
	return text.replace(
		ROW_VALUE,
		(_m, a: string, x: string) =>
			`(${a}.perspective_id in (${perspectivesOf(x)}) and ${plus}${a}.submission_id = ${x})`
	);
}

export function bySubmission(text: string): string {
	return text.replace(ROW_VALUE_BACK, (_m, a: string, x: string) => `${a}.submission_id = ${x}`);
}

/**
 * A perspective's deletion deletes its answers by the foreign key answer.perspective_id (on delete cascade), and both
 * engines run that cascade after the perspective row is gone (SQLite: the key's actions come between the row's
 * deletion and its AFTER triggers; PostgreSQL: the key's own AFTER ROW trigger, named RI_ConstraintTrigger_…, which
 * sorts before these). The answers' triggers, and the submission triggers their question-set update fires, then run
 * while some of the perspective's answers still exist but no perspective row leads to them: the theme cube moved a
 * submission's themes without those answers' and then took them off again under the new question set (a row left at
 * +1, another at -1; the property test's counterexample, tests/answers-through-perspective.test.ts). So a
 * perspective being deleted is written to perspective_leaving (before the row goes) and taken out again once its
 * answers are gone (after): `perspectivesOf` reads both. The table is empty outside a perspective's deletion.
 */
const LEAVING_SQLITE = [
	`create table perspective_leaving (submission_id text not null, perspective_id integer not null,
		primary key (submission_id, perspective_id)) without rowid`,
	`create trigger agg_leaving_perspective_begin before delete on perspective begin
		insert into perspective_leaving (submission_id, perspective_id) values (old.submission_id, old.id)
		on conflict do nothing; end`,
	`create trigger agg_leaving_perspective_end after delete on perspective begin
		delete from perspective_leaving where submission_id = old.submission_id and perspective_id = old.id; end`
];
const LEAVING_PG = [
	`create table perspective_leaving (submission_id text not null, perspective_id integer not null,
		primary key (submission_id, perspective_id))`,
	`create function agg_leaving_perspective_begin() returns trigger language plpgsql as $$ begin
		insert into perspective_leaving (submission_id, perspective_id) values (old.submission_id, old.id)
		on conflict do nothing; return old; end $$`,
	`create trigger agg_leaving_perspective_begin before delete on perspective for each row
		execute function agg_leaving_perspective_begin()`,
	`create function agg_leaving_perspective_end() returns trigger language plpgsql as $$ begin
		delete from perspective_leaving where submission_id = old.submission_id and perspective_id = old.id;
		return null; end $$`,
	`create trigger agg_leaving_perspective_end after delete on perspective for each row
		execute function agg_leaving_perspective_end()`
];
const UNLEAVING_SQLITE = [
	'drop trigger if exists agg_leaving_perspective_end',
	'drop trigger if exists agg_leaving_perspective_begin',
	'drop table if exists perspective_leaving'
];
const UNLEAVING_PG = [
	'drop trigger if exists agg_leaving_perspective_end on perspective',
	'drop trigger if exists agg_leaving_perspective_begin on perspective',
	'drop function if exists agg_leaving_perspective_end()',
	'drop function if exists agg_leaving_perspective_begin()',
	'drop table if exists perspective_leaving'
];

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
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	for (const statement of pg ? LEAVING_PG : LEAVING_SQLITE) await sql.raw(statement).execute(db);
	await rewrite(db, throughPerspective);
	if (!pg) await db.schema.dropIndex('answer_submission').ifExists().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await rewrite(db, bySubmission);
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	for (const statement of pg ? UNLEAVING_PG : UNLEAVING_SQLITE) await sql.raw(statement).execute(db);
	await db.schema.createIndex('answer_submission').ifNotExists().on('answer').column('submission_id').execute();
}
