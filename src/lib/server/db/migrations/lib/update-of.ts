/**
 * Update triggers narrowed to `update of <columns>` (migration 2026-12-12-0100, issue #19). An `after/before update`
 * trigger is called for every updated row, whatever the statement set, and tests its WHEN there; one written
 * `update of a, b` is not called at all when the statement sets none of a, b (SQLite decides it when the statement
 * is prepared, PostgreSQL before the row's WHEN).
 *
 * The columns a trigger is narrowed to are every column of its row it reads, `old.x` or `new.x`, in its WHEN or
 * its body (PostgreSQL: the function's source too): so an update that sets none of them cannot change what the
 * trigger would have done, provided its WHEN is false when none of them changed (true of every trigger the migration
 * names: their conditions are `old.x is not new.x` tests, or such tests and the bypass guard).
 *
 * Frozen with the migration that uses it: change it only by adding functions.
 */

/** The row's columns `text` reads as `old.x` / `new.x`, lower-case, sorted, each once. */
export function rowColumns(text: string): string[] {
	const cols = new Set<string>();
	for (const m of text.matchAll(/\b(?:old|new)\s*\.\s*"?([A-Za-z_][A-Za-z0-9_]*)"?/gi)) cols.add(m[1].toLowerCase());
	return [...cols].sort();
}

const SQLITE_HEAD = /^(\s*create\s+trigger\s+(?:if\s+not\s+exists\s+)?(?:"[^"]+"|\S+)\s+(?:before|after)\s+update)(\s+on\s)/i;
const PG_HEAD = /^(CREATE TRIGGER \S+ (?:BEFORE|AFTER) UPDATE)( ON )/;

/** A SQLite `create trigger … update on t …` text as `… update of <cols> on t …`. */
export function sqliteUpdateOf(text: string, cols: readonly string[]): string {
	if (!SQLITE_HEAD.test(text)) throw new Error(`not a plain update trigger: ${text.slice(0, 100)}`);
	return text.replace(SQLITE_HEAD, `$1 of ${cols.join(', ')}$2`);
}

/** The column list taken out again: the text as it was before sqliteUpdateOf. */
export function sqliteUpdateAny(text: string): string {
	return text.replace(
		/^(\s*create\s+trigger\s+(?:if\s+not\s+exists\s+)?(?:"[^"]+"|\S+)\s+(?:before|after)\s+update) of [a-z0-9_, ]+?(\s+on\s)/i,
		'$1$2'
	);
}

/** A PostgreSQL trigger definition (pg_get_triggerdef) of an `UPDATE` row trigger as `UPDATE OF <cols>`. */
export function pgUpdateOf(def: string, cols: readonly string[]): string {
	if (!PG_HEAD.test(def)) throw new Error(`not a plain update trigger: ${def.slice(0, 100)}`);
	return def.replace(PG_HEAD, `$1 OF ${cols.join(', ')}$2`);
}

/** The column list taken out of a PostgreSQL definition again (as pg_get_triggerdef prints it back). */
export function pgUpdateAny(def: string): string {
	return def.replace(/^(CREATE TRIGGER \S+ (?:BEFORE|AFTER) UPDATE) OF [a-z0-9_, ]+?( ON )/, '$1$2');
}
