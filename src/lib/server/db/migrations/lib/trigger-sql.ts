import { sql, type Kysely } from 'kysely';

/**
 * Creating and dropping a derived table's triggers on either engine: a PL/pgSQL function and its trigger on
 * PostgreSQL, a `create trigger … begin … end` on SQLite. Shared by the aggregate migrations, which each wrote the
 * same block with its own layout (TriggerLayout).
 *
 * Frozen with the migrations that use it: change it only by adding functions or layouts. Both engines keep the text
 * as given (SQLite's sqlite_master, PostgreSQL's function body), so what this writes must stay byte for byte what
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

/**
 * How a migration laid its triggers' text out. The defaults are the review aggregates' (0200 of 12-09) and the
 * equality tables' (0110 of 12-05, 0300 of 12-09); the others name what they did otherwise.
 */
export interface TriggerLayout {
	/** SQLite: what stands between the table and the WHEN (a space; the kept margins, 0600 of 12-11, broke the line). */
	sqliteAfterTable?: string;
	/** SQLite: what stands between the header and its `begin` (the theme cube, 0300 of 12-11, wrote one space). */
	sqliteBeforeBegin?: string;
	/**
	 * PostgreSQL: the condition tested inside the function (`if … then … end if;`) and the trigger written on one line
	 * with no WHEN, as the first aggregate migrations (0220 to 0500 of 12-01, 0200 of 12-02) wrote them.
	 */
	pgWhenInBody?: boolean;
}

/** The statements creating `t` on one engine. */
export function createTriggerSql(t: TriggerSql, pg: boolean, layout: TriggerLayout = {}): string[] {
	const { sqliteAfterTable = ' ', sqliteBeforeBegin = TRIGGER_BREAK, pgWhenInBody = false } = layout;
	const body = t.body.map((s) => `${s};`).join('\n');
	const br = TRIGGER_BREAK;
	if (pg && pgWhenInBody)
		return [
			`create function ${t.name}() returns trigger language plpgsql as $$${br}begin${br}${t.when ? `if ${t.when} then ${body} end if;` : body}${br}return ${returned(t)};${br}end $$`,
			`create trigger ${t.name} ${t.timing} ${t.op} on ${t.table} ${forEach(t)} execute function ${t.name}()`
		];
	if (pg)
		return [
			`create function ${t.name}() returns trigger language plpgsql as $$${br}begin${br}${body}${br}return ${returned(t)};${br}end $$`,
			`create trigger ${t.name} ${t.timing} ${t.op} on ${t.table} ${forEach(t)}${br}${t.when ? `when (${t.when})` : ''} execute function ${t.name}()`
		];
	return [
		`create trigger ${t.name} ${t.timing} ${t.op} on ${t.table}${sqliteAfterTable}${t.when ? `when ${t.when}` : ''}${sqliteBeforeBegin}begin ${body} end`
	];
}

/** Creates the triggers in order, their text laid out as `layout` says. */
export async function createTriggers(
	db: Kysely<any>,
	pg: boolean,
	triggers: TriggerSql[],
	layout: TriggerLayout = {}
): Promise<void> {
	for (const t of triggers) for (const s of createTriggerSql(t, pg, layout)) await sql.raw(s).execute(db);
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

/**
 * A trigger as the first aggregate migrations (0220 to 0500 of 12-01, 0200 of 12-02) wrote it for both engines:
 * its condition in each dialect, the engine it alone is made on (`only`), and PostgreSQL's statement form (its
 * transition tables are those its op has).
 */
export interface DualTrigger extends Omit<TriggerSql, 'when' | 'statement'> {
	when?: { sqlite: string; pg: string };
	only?: 'sqlite' | 'pg';
	statement?: { old?: boolean; new?: boolean };
}

/** The same condition in both dialects: any of `cols` changed. */
export const changedOnBoth = (cols: readonly string[]) => ({ sqlite: anyChanged(cols, false), pg: anyChanged(cols, true) });

/** The triggers made on this engine, their conditions in its dialect. */
export const onEngine = (triggers: DualTrigger[], pg: boolean): TriggerSql[] =>
	triggers
		.filter((t) => !t.only || t.only === (pg ? 'pg' : 'sqlite'))
		.map(({ when, only: _only, statement, ...t }) => ({
			...t,
			when: pg ? when?.pg : when?.sqlite,
			statement: Boolean(statement)
		}));
