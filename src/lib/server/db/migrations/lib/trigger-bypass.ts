/**
 * A switch that lets one transaction write rows without firing some derived-data triggers, for a writer
 * that keeps those derived tables itself, set-based (bulk coding: one grouped statement per aggregate
 * table per chunk instead of trigger calls per row). Every other transaction fires them as before.
 *
 * - PostgreSQL: the triggers get `WHEN (current_setting(BYPASS_SETTING, true) is distinct from 'on')`;
 *   the writer sets the setting transaction-locally (set_config(…, true)), so it needs no superuser
 *   (unlike session_replication_role) and never leaks into another transaction or a pooled connection.
 *   WHEN is evaluated before the trigger function is called, so a bypassed row costs no PL/pgSQL call.
 * - SQLite has no session settings in SQL: the triggers get `WHEN not exists (select 1 from BYPASS_TABLE)`
 *   and the writer inserts a row into that table and deletes it again inside its transaction. SQLite has
 *   one writer at a time, so no other write sees the row; readers never see it (it is gone at commit).
 *
 * Frozen with the migrations that use it: change it only by adding new functions.
 */

export const BYPASS_SETTING = 'consult.bypass_derived_triggers';
export const BYPASS_TABLE = 'derived_trigger_bypass';

export const PG_GUARD = `current_setting('${BYPASS_SETTING}', true) is distinct from 'on'`;
export const SQLITE_GUARD = `not exists (select 1 from ${BYPASS_TABLE})`;

/** The header of a SQLite trigger's text: everything before its first `begin`. */
function sqliteHeader(text: string): { header: string; rest: string } {
	const at = text.search(/\bbegin\b/i);
	if (at < 0) throw new Error(`not a trigger: ${text.slice(0, 80)}`);
	return { header: text.slice(0, at), rest: text.slice(at) };
}

/** A SQLite `create trigger` text with the bypass guard added to its WHEN (or as its WHEN). */
export function guardSqliteTrigger(text: string): string {
	const { header, rest } = sqliteHeader(text);
	if (header.includes(SQLITE_GUARD)) return text;
	const when = header.search(/\bwhen\b/i);
	if (when < 0) return `${header.trimEnd()} when ${SQLITE_GUARD}\n ${rest}`;
	const cond = header.slice(when + 4).trim();
	return `${header.slice(0, when)}when ${SQLITE_GUARD} and (${cond})\n ${rest}`;
}

/** The guard taken out again (the same trigger; its condition may keep a pair of brackets). */
export function unguardSqliteTrigger(text: string): string {
	const { header, rest } = sqliteHeader(text);
	const withCond = `when ${SQLITE_GUARD} and (`;
	if (header.includes(withCond)) return `${header.replace(withCond, 'when (')}${rest}`;
	return `${header.replace(`when ${SQLITE_GUARD}`, '')}${rest}`;
}

/** A PostgreSQL trigger definition (pg_get_triggerdef) with the bypass guard in its WHEN. */
export function guardPgTriggerDef(def: string): string {
	if (def.includes(BYPASS_SETTING)) return def;
	if (/ WHEN \(/.test(def)) return def.replace(' WHEN (', ` WHEN ((${PG_GUARD}) AND `);
	const at = def.search(/ EXECUTE (FUNCTION|PROCEDURE) /);
	if (at < 0) throw new Error(`unexpected trigger definition: ${def}`);
	return `${def.slice(0, at)} WHEN (${PG_GUARD})${def.slice(at)}`;
}

/** The guard taken out of a PostgreSQL trigger definition (as pg_get_triggerdef prints it back). */
export function unguardPgTriggerDef(def: string): string {
	return def.replace(/ WHEN \(\(current_setting\('[^']+'::text, true\) IS DISTINCT FROM 'on'::text\)\)/, '').replace(
		/ WHEN \(\(\(current_setting\('[^']+'::text, true\) IS DISTINCT FROM 'on'::text\)\) AND /,
		' WHEN ('
	);
}

/**
 * SQLite: the bypass row whose presence switches off the kept quote order's coding triggers too (migration
 * 2026-12-12-0110): a writer that keeps that table itself inserts it beside row 1. Every other bypass user inserts
 * row 1 alone, so those triggers keep firing for them.
 */
export const QUOTE_ORDER_BYPASS_ID = 2;
export const SQLITE_QUOTE_ORDER_GUARD = `not exists (select 1 from ${BYPASS_TABLE} where id = ${QUOTE_ORDER_BYPASS_ID})`;

/** A SQLite `create trigger` text with `guard` added to its WHEN (or as its WHEN); unchanged if it has it. */
export function guardSqliteTriggerWith(text: string, guard: string): string {
	const { header, rest } = sqliteHeader(text);
	if (header.includes(guard)) return text;
	const when = header.search(/\bwhen\b/i);
	if (when < 0) return `${header.trimEnd()} when ${guard}\n ${rest}`;
	const cond = header.slice(when + 4).trim();
	return `${header.slice(0, when)}when ${guard} and (${cond})\n ${rest}`;
}

/** `guard` taken out again (the trigger's condition may keep a pair of brackets). */
export function unguardSqliteTriggerWith(text: string, guard: string): string {
	const { header, rest } = sqliteHeader(text);
	const withCond = `when ${guard} and (`;
	if (header.includes(withCond)) return `${header.replace(withCond, 'when (')}${rest}`;
	return `${header.replace(`when ${guard}`, '')}${rest}`;
}

/**
 * SQLite: the bypass row whose presence switches off the day aggregates' three answer_theme row triggers (migration
 * 2026-12-12-0500, guarded by 2026-12-12-0600): the bulk coder (coding/store-sqlite.ts) inserts it beside row 1 when
 * it writes the chunk's net change of those tables itself. Every other writer fires them as before.
 */
export const DAY_BYPASS_ID = 3;
export const SQLITE_DAY_GUARD = `not exists (select 1 from ${BYPASS_TABLE} where id = ${DAY_BYPASS_ID})`;
