import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { PG_GUARD, SQLITE_GUARD } from './lib/trigger-bypass';
import { createCountTable } from './lib/count-table';
import { anyChanged, createTriggers, dropTriggers } from './lib/trigger-sql';
import {
	REBUILD_THEME_CUBE,
	THEME_EQUALITY_COLUMNS,
	THEME_EQUALITY_KEY,
	THEME_EQUALITY_TABLE,
	THEME_PERSPECTIVE_KEY,
	THEME_PERSPECTIVE_TABLE,
	THEME_QUESTION_KEY,
	THEME_QUESTION_TABLE,
	THEME_SUBMISSION_KEY,
	THEME_SUBMISSION_TABLE,
	answerShare,
	codingChange,
	perspectiveRow,
	submissionRowChildren,
	submissionRowCube,
	submissionRowEquality
} from './lib/theme-cube-sql';

// Frozen: never import application code here; a later change gets a new migration. The SQL fragments come
// from lib/theme-cube-sql.ts (frozen with this migration), which the rebuild and the coder's delta import too.

/**
 * The kept theme cube (issue #19: a question + theme dashboard walked the theme's ~45,000 answers to their
 * submissions and perspectives on every view, about 0.5 s of CPU at a million answers). Four tables, per theme:
 * submissions per question set × district × channel × location × day, submissions per question set × equality
 * answers, perspectives per question set × group × district × channel, and applying codings per question ×
 * district × channel (lib/theme-cube-sql.ts). Triggers, both engines unless said:
 *
 * - answer_theme insert / update / delete: the touched (submission, theme) and (perspective, theme) pairs counted
 *   now minus before (before = rows now − new rows + old rows): SQLite row AFTER triggers (the row's change is the
 *   only one), PostgreSQL statement triggers with transition tables (a multi-row statement at once, as 0220's).
 *   Both guarded by the coder's bypass (lib/trigger-bypass): the coder keeps these tables itself, set-based.
 * - answer BEFORE delete and BEFORE update of its submission, perspective or question: the answer's pairs leave
 *   (those no other answer of the submission / perspective holds) and join their new place. BEFORE row triggers,
 *   so on PostgreSQL each row of a multi-row statement sees the rows before it changed (a row AFTER trigger there
 *   runs at the statement's end and could not tell which answer left a pair last).
 * - submission update of a keyed column (question set, district, channel, location, day, equality answers,
 *   consultation): its themes move cells; district, channel or consultation also move its perspectives' and
 *   answers' cells. BEFORE delete: everything under it subtracted (the cascade then finds no parent: nothing twice).
 * - perspective update of its question set, group or submission: its themes move; BEFORE delete: subtracted.
 *
 * A submission is written with no codings (they come later), so its own writes change nothing here: the
 * question-set updates each answer makes fire the submission update trigger, which finds no theme.
 */

interface Trig {
	name: string;
	table: 'answer_theme' | 'answer' | 'submission' | 'perspective';
	timing: 'before' | 'after';
	op: 'insert' | 'update' | 'delete';
	when?: string[];
	/** Guarded by the coder's bypass. */
	guarded?: boolean;
	body: string[];
}

/** The trigger's WHEN on one engine: the coder's bypass guard and / or a change to the listed columns. */
const condition = (t: Trig, pg: boolean) =>
	[t.guarded ? (pg ? PG_GUARD : SQLITE_GUARD) : '', t.when ? `(${anyChanged(t.when, pg)})` : ''].filter(Boolean).join(' and ');

/** A SQLite row as a one-row table expression of answer_theme's counted columns. */
const sqliteRow = (r: 'old' | 'new') =>
	`(select ${r}.answer_id as answer_id, ${r}.theme_id as theme_id, ${r}.applies as applies)`;
const SQLITE_NONE = `(select null as answer_id, null as theme_id, null as applies where 0)`;
const PG_NONE = `(select null::integer as answer_id, null::integer as theme_id, null::integer as applies where false)`;

const SUBMISSION_CUBE_COLS = ['consultation_id', 'question_set', 'district_code', 'channel', 'location_id', 'created_at'];

function triggers(pg: boolean): Trig[] {
	const coding: Trig[] = pg
		? [
				{ name: 'agg_tc_coding_insert', table: 'answer_theme', timing: 'after', op: 'insert', guarded: true, body: codingChange(PG_NONE, 'nt') },
				{ name: 'agg_tc_coding_delete', table: 'answer_theme', timing: 'after', op: 'delete', guarded: true, body: codingChange('ot', PG_NONE) },
				{ name: 'agg_tc_coding_update', table: 'answer_theme', timing: 'after', op: 'update', guarded: true, body: codingChange('ot', 'nt') }
			]
		: [
				{
					name: 'agg_tc_coding_insert',
					table: 'answer_theme',
					timing: 'after',
					op: 'insert',
					guarded: true,
					body: codingChange(SQLITE_NONE, sqliteRow('new'))
				},
				{
					name: 'agg_tc_coding_delete',
					table: 'answer_theme',
					timing: 'after',
					op: 'delete',
					guarded: true,
					body: codingChange(sqliteRow('old'), SQLITE_NONE)
				},
				{
					name: 'agg_tc_coding_update',
					table: 'answer_theme',
					timing: 'after',
					op: 'update',
					guarded: true,
					when: ['applies', 'theme_id', 'answer_id'],
					body: codingChange(sqliteRow('old'), sqliteRow('new'))
				}
			];
	return [
		...coding,
		{ name: 'agg_tc_answer_delete', table: 'answer', timing: 'before', op: 'delete', body: answerShare('old', 'old.id', -1) },
		{
			name: 'agg_tc_answer_move',
			table: 'answer',
			timing: 'before',
			op: 'update',
			when: ['submission_id', 'perspective_id', 'question_id'],
			body: [...answerShare('old', 'old.id', -1), ...answerShare('new', 'old.id', 1)]
		},
		{
			name: 'agg_tc_submission_cube',
			table: 'submission',
			timing: 'after',
			op: 'update',
			when: SUBMISSION_CUBE_COLS,
			body: [submissionRowCube('old', -1), submissionRowCube('new', 1)]
		},
		{
			name: 'agg_tc_submission_equality',
			table: 'submission',
			timing: 'after',
			op: 'update',
			when: ['consultation_id', 'question_set', ...THEME_EQUALITY_COLUMNS],
			body: [submissionRowEquality('old', -1), submissionRowEquality('new', 1)]
		},
		{
			name: 'agg_tc_submission_move',
			table: 'submission',
			timing: 'after',
			op: 'update',
			when: ['consultation_id', 'district_code', 'channel'],
			body: [...submissionRowChildren('old', -1), ...submissionRowChildren('new', 1)]
		},
		{
			name: 'agg_tc_submission_delete',
			table: 'submission',
			timing: 'before',
			op: 'delete',
			body: [submissionRowCube('old', -1), submissionRowEquality('old', -1), ...submissionRowChildren('old', -1)]
		},
		{
			name: 'agg_tc_perspective_update',
			table: 'perspective',
			timing: 'after',
			op: 'update',
			when: ['question_set', 'group_code', 'submission_id'],
			body: [perspectiveRow('old', -1), perspectiveRow('new', 1)]
		},
		{ name: 'agg_tc_perspective_delete', table: 'perspective', timing: 'before', op: 'delete', body: [perspectiveRow('old', -1)] }
	];
}

export async function up(db: Kysely<any>): Promise<void> {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	const tables: [string, readonly string[], Record<string, 'integer' | 'text'>][] = [
		[THEME_SUBMISSION_TABLE, THEME_SUBMISSION_KEY, { theme_id: 'integer', location_id: 'integer', consultation_id: 'integer' }],
		[THEME_EQUALITY_TABLE, THEME_EQUALITY_KEY, { theme_id: 'integer', consultation_id: 'integer' }],
		[THEME_PERSPECTIVE_TABLE, THEME_PERSPECTIVE_KEY, { theme_id: 'integer', consultation_id: 'integer' }],
		[THEME_QUESTION_TABLE, THEME_QUESTION_KEY, { theme_id: 'integer', question_id: 'integer', consultation_id: 'integer' }]
	];
	for (const [name, key, types] of tables) await createCountTable(db, name, key, types);
	for (const s of REBUILD_THEME_CUBE) await sql.raw(s).execute(db);
	// The SQLite headers were written on one line (a space before `begin`): the stored text stays as it was.
	await createTriggers(
		db,
		pg,
		triggers(pg).map((t) => ({ ...t, when: condition(t, pg), statement: pg && t.table === 'answer_theme' })),
		{ sqliteBeforeBegin: ' ' }
	);
}

export async function down(db: Kysely<any>): Promise<void> {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	await dropTriggers(db, pg, triggers(pg));
	for (const t of [THEME_SUBMISSION_TABLE, THEME_EQUALITY_TABLE, THEME_PERSPECTIVE_TABLE, THEME_QUESTION_TABLE])
		await db.schema.dropTable(t).ifExists().execute();
}
