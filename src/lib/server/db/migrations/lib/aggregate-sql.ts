/**
 * SQL fragments of the aggregate tables added from migration 2026-12-04-0200 on, in one place: the migration
 * that creates a table and its triggers, the rebuild (`src/lib/server/analysis/aggregates.ts` on PostgreSQL,
 * `rebuild-sqlite.ts` on SQLite) and the coding delta (`src/lib/server/coding/aggregate-delta.ts`) import them
 * from here instead of restating them, so the triggers and the rebuild cannot drift apart.
 *
 * Frozen with the migrations that use it (as lib/trigger-bypass.ts): a migration already run has created its
 * triggers from these texts, so change a fragment only through a new migration that re-creates them, and add
 * new fragments beside the old ones. Plain strings, both engines (no application code imported).
 *
 * The older tables' fragments (0220–0500, 0200 of 2 December) stay restated in their frozen migrations.
 */

// ---- Answers per question × language × reviewed (migration 2026-12-04-0200) ----

export const LANGUAGE_TABLE = 'analysis_agg_language';
/** The table's key columns (also its primary key). */
export const LANGUAGE_KEY = ['question_id', 'language', 'is_reviewed'] as const;
export const LANGUAGE_COLS = `${LANGUAGE_KEY.join(', ')}, n`;
/** The answer row `r`'s language: 'en' for an answer from before languages were kept (null). */
export const languageOf = (r: string) => `coalesce(${r}.language, 'en')`;
/** 1 when an officer has reviewed the answer row `r`, else 0. */
export const reviewedOf = (r: string) => `case when ${r}.reviewed_at is not null then 1 else 0 end`;
/** The answer row `r` is counted: it has words (an answer left blank has no language to read). */
export const languageCounted = (r: string) => `${r}.text is not null`;
const LANGUAGE_ADD = `on conflict (${LANGUAGE_KEY.join(', ')}) do update set n = ${LANGUAGE_TABLE}.n + excluded.n`;

/** One answer row (`r` = old / new, in a row trigger) counted with `sign`. */
export const languageRow = (r: string, sign: 1 | -1) =>
	`insert into ${LANGUAGE_TABLE} (${LANGUAGE_COLS})
	 select ${r}.question_id, ${languageOf(r)}, ${reviewedOf(r)}, ${sign}
	 where ${languageCounted(r)}
	 ${LANGUAGE_ADD}`;

/** An answer update that moves the row between cells (SQLite `is not`, PostgreSQL `is distinct from`). */
export const languageMoved = (pg: boolean) => {
	const ne = pg ? 'is distinct from' : 'is not';
	return [
		`(old.text is null) <> (new.text is null)`,
		`(old.reviewed_at is null) <> (new.reviewed_at is null)`,
		`old.question_id ${ne} new.question_id`,
		`${languageOf('old')} ${ne} ${languageOf('new')}`
	].join(' or ');
};

/**
 * The answers `a` of `from` (a table expression aliased `a`, e.g. `answer a` or a chunk's answers) counted
 * with `sign`, grouped into the table's cells: the rebuild (`answer a`, sign 1 after emptying the table).
 */
export const languageShares = (from: string, where: string, sign: 1 | -1) =>
	`insert into ${LANGUAGE_TABLE} (${LANGUAGE_COLS})
	 select a.question_id, ${languageOf('a')}, ${reviewedOf('a')}, ${sign} * count(*)
	 from ${from}
	 where ${languageCounted('a')}${where ? ` and (${where})` : ''}
	 group by a.question_id, ${languageOf('a')}, ${reviewedOf('a')}
	 ${LANGUAGE_ADD}`;

/** Recomputed from the answers (the migration's first fill and `npm run analysis -- rebuild`, both engines). */
export const REBUILD_LANGUAGE: string[] = [`delete from ${LANGUAGE_TABLE}`, languageShares('answer a', '', 1)];
