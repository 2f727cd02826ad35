import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { groupSetOf } from './2026-12-01-0500-group-set-aggregates';

// Frozen: never import application code here; a later change gets a new migration. groupSetOf comes from the
// frozen migration 0500 that defined the trigger this one redefines.

/**
 * The perspective's insert trigger of 2026-12-01-0500 (SQLite) no longer recomputes a submission's group set that
 * already lists the new perspective's respondent type (issue #18, as 2026-12-09-0400 did for question sets).
 * SQLite runs row triggers as each row is inserted, so a submission claimed by the grouped commit with its final
 * set ('|child|parent_carer|', submissions/save.ts) was moved to '|child|' by its first perspective and back by its
 * second: each move fired the submission's update triggers (minus one, plus one in analysis_agg_group_set,
 * _group_set_equality, _group_set_channel_equality, _question_set and _question_set_equality, and the data-version
 * bump), twice, and left rows at zero under the partial set that a rebuild does not have.
 *
 * A set that already lists the type cannot change by one more perspective of that type: in a set kept exact that
 * means another perspective of the same type, and the recomputation would find what is stored. So the trigger skips
 * it (`instr`; '' for no type is listed as '||', and a type is always between two '|') and otherwise does what it
 * did. Only the grouped commit claims a set; it checks the claims of submissions with more than one type in the
 * same commit (settleClaimedSets), so a wrong claim costs time, never counts. Every other writer leaves the column
 * at its default '' (or at an exact set) and is unaffected.
 *
 * PostgreSQL is unchanged: its row AFTER triggers run at the end of the statement, when every perspective of the
 * insert is there, so the recomputation already finds the claimed set and updates nothing.
 */
const refresh = (skip: boolean) => {
	const id = 'new.submission_id';
	return `update submission set group_set = ${groupSetOf(id, false)}
	 where id = ${id}${skip ? ` and instr(group_set, '|' || coalesce(new.group_code, '') || '|') = 0` : ''}
	   and group_set <> ${groupSetOf(id, false)}`;
};

async function replace(db: Kysely<any>, skip: boolean) {
	await sql.raw('drop trigger if exists agg_gs_perspective_insert').execute(db);
	await sql
		.raw(`create trigger agg_gs_perspective_insert after insert on perspective begin ${refresh(skip)}; end`)
		.execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
	if (db.getExecutor().adapter instanceof PostgresAdapter) return;
	await replace(db, true);
}

export async function down(db: Kysely<any>): Promise<void> {
	if (db.getExecutor().adapter instanceof PostgresAdapter) return;
	await replace(db, false);
}
