/**
 * SQL of the kept quote order (migration 2026-12-11-1100), shared by the migration and both rebuilds.
 *
 * Frozen with the migration that uses it (as lib/aggregate-sql.ts): change a fragment only through a new
 * migration that re-creates the triggers. Plain strings, both engines (no application code imported).
 */

export const QUOTE_ORDER_TABLE = 'analysis_agg_quote_order';
/** One row per coding that applies: (answer, theme), the key the triggers delete by. */
export const QUOTE_ORDER_KEY = ['answer_id', 'theme_id'] as const;
/** The order a group's candidates are read in: the theme, the group, most confident first, then by answer. */
export const QUOTE_ORDER_INDEX = 'analysis_agg_quote_order_walk';

/**
 * The codings of `from` (a table or transition table aliased x: answer_id, theme_id, applies, confidence, source)
 * that apply, with their answer's respondent type ('' not known), as rows of the kept table.
 */
export const quoteOrderRows = (from: string, where = '') =>
	`insert into ${QUOTE_ORDER_TABLE} (answer_id, theme_id, group_code, conf, confidence, source)
	 select x.answer_id, x.theme_id, coalesce(p.group_code, ''), coalesce(x.confidence, 1), x.confidence, x.source
	 from ${from} x join answer a on a.id = x.answer_id join perspective p on p.id = a.perspective_id
	 where x.applies = 1${where ? ` and ${where}` : ''}`;

/** Everything recomputed from the codings (the migration's first fill and the rebuilds). */
export const REBUILD_QUOTE_ORDER: string[] = [`delete from ${QUOTE_ORDER_TABLE}`, quoteOrderRows('answer_theme')];
