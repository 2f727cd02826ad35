import { sql, type Kysely } from 'kysely';

/**
 * Creating and dropping a derived table's triggers on either engine: a PL/pgSQL function and its trigger on
 * PostgreSQL, a `create trigger … begin … end` on SQLite. Shared by the review aggregates (0200 of 12-09), the
 * theme cube (0300 of 12-11) and the two equality tables (0110 of 12-05, 0300 of 12-09), which each wrote the
 * same block.
 *
 * Frozen with the migrations that use it: change it only by adding new functions. Both engines keep the text as
 * given (SQLite's sqlite_master, PostgreSQL's function body), so what this writes must stay byte for byte what
 * those migrations first wrote: the bulk generator's rebuild and the coder's bypass read that text back.
 */

/** One trigger, its condition already written for the engine it is created on. */
export interface TriggerSql {
	name: string;
	table: string;
	timing: 'before' | 'after';
	op: 'insert' | 'update' | 'delete';
	/** The WHEN condition (PostgreSQL: bracketed here; a row that fails it costs no function call). */
	when?: string;
	/** PostgreSQL: a statement trigger with the transition tables `ot` / `nt` its op has, not a row trigger. */
	statement?: boolean;
	/** Statements without their `;`. */
	body: string[];
}

/**
 * The line break and indent inside the text: the template literals these statements were first written in
 * broke their lines with it, and the stored text must not change.
 */
export const TRIGGER_BREAK = '\n\t\t\t\t\t ';

/** Whether any of `cols` changed in an update (`is not`: SQLite's null-safe inequality). */
export const anyChanged = (cols: readonly string[], pg: boolean) =>
	cols.map((c) => `old.${c} ${pg ? 'is distinct from' : 'is not'} new.${c}`).join(' or ');

/** A before trigger returns the row to go on with (old for a delete); an after trigger's return is ignored. */
const returned = (t: TriggerSql) => (t.timing === 'before' ? (t.op === 'delete' ? 'old' : 'new') : 'null');

const forEach = (t: TriggerSql) =>
	t.statement
		? `referencing ${t.op !== 'insert' ? 'old table as ot' : ''} ${t.op !== 'delete' ? 'new table as nt' : ''} for each statement`
		: 'for each row';

/** The statements creating `t` on one engine. */
export function createTriggerSql(t: TriggerSql, pg: boolean, sqliteBeforeBegin = TRIGGER_BREAK): string[] {
	const body = t.body.map((s) => `${s};`).join('\n');
	const br = TRIGGER_BREAK;
	if (pg)
		return [
			`create function ${t.name}() returns trigger language plpgsql as $$${br}begin${br}${body}${br}return ${returned(t)};${br}end $$`,
			`create trigger ${t.name} ${t.timing} ${t.op} on ${t.table} ${forEach(t)}${br}${t.when ? `when (${t.when})` : ''} execute function ${t.name}()`
		];
	return [
		`create trigger ${t.name} ${t.timing} ${t.op} on ${t.table} ${t.when ? `when ${t.when}` : ''}${sqliteBeforeBegin}begin ${body} end`
	];
}

/**
 * Creates the triggers in order. `sqliteBeforeBegin`: what stands between a SQLite trigger's header and its
 * `begin` (the theme cube wrote one space where the review aggregates broke the line).
 */
export async function createTriggers(
	db: Kysely<any>,
	pg: boolean,
	triggers: TriggerSql[],
	sqliteBeforeBegin = TRIGGER_BREAK
): Promise<void> {
	for (const t of triggers) for (const s of createTriggerSql(t, pg, sqliteBeforeBegin)) await sql.raw(s).execute(db);
}

/** Drops the triggers (and on PostgreSQL their functions), those already gone passed over. */
export async function dropTriggers(db: Kysely<any>, pg: boolean, triggers: Pick<TriggerSql, 'name' | 'table'>[]) {
	for (const t of triggers) {
		await sql.raw(`drop trigger if exists ${t.name}${pg ? ` on ${t.table}` : ''}`).execute(db);
		if (pg) await sql.raw(`drop function if exists ${t.name}()`).execute(db);
	}
}

/**
 * The three triggers of a table that counts submission rows, `row(r, sign)` counting one row (old / new):
 * after insert, before delete (a cascade then finds nothing twice), and after an update of a `keyed` column,
 * the old row out and the new one in.
 */
export const submissionRowTriggers = (
	prefix: string,
	row: (r: 'old' | 'new', sign: 1 | -1) => string,
	keyed: readonly string[],
	pg: boolean
): TriggerSql[] => [
	{ name: `${prefix}_submission_insert`, table: 'submission', timing: 'after', op: 'insert', body: [row('new', 1)] },
	{ name: `${prefix}_submission_delete`, table: 'submission', timing: 'before', op: 'delete', body: [row('old', -1)] },
	{
		name: `${prefix}_submission_update`,
		table: 'submission',
		timing: 'after',
		op: 'update',
		when: anyChanged(keyed, pg),
		body: [row('old', -1), row('new', 1)]
	}
];
