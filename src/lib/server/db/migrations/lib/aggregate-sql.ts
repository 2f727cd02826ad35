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

// ---- Question sets (migration 2026-12-05-0100) ----
//
// A question filter on a submission or perspective count ("submissions by district that answered question 1")
// counts the submissions (perspectives) with at least one answer to the question. As the group sets of 0500 do
// for respondent types, each submission and each perspective keeps its set of questions answered as a sorted key
// of question ids, '|12|15|' ('' for none), and the counts are kept per set; a question filter sums the sets that
// contain it: replace(question_set, '|<id>|', '') <> question_set (exact on both engines).

export const QUESTION_SET_TABLE = 'analysis_agg_question_set';
export const QUESTION_SET_PERSPECTIVE_TABLE = 'analysis_agg_question_set_perspective';
/** Submissions per consultation × question set × group set × district × channel × location × day. */
export const QUESTION_SET_KEY = [
	'consultation_id',
	'question_set',
	'group_set',
	'district_code',
	'channel',
	'location_id',
	'day'
] as const;
/** Perspectives per consultation × question set × group × district × channel. */
export const QUESTION_SET_PERSPECTIVE_KEY = [
	'consultation_id',
	'question_set',
	'group_code',
	'district_code',
	'channel'
] as const;

/**
 * The set of questions answered by the answers whose `col` (submission_id / perspective_id) is `id`, as the sorted
 * key. PostgreSQL: string_agg(… order by); SQLite: group_concat over an ordered sub-select (parsed by shells
 * before 3.44, as 0500's groupSetOf). Sorted by the id as a number on both engines (the rebuild sorts the same).
 */
export const questionSetOf = (col: 'submission_id' | 'perspective_id', id: string, pg: boolean) =>
	pg
		? `coalesce((select '|' || string_agg(qs.q::text, '|' order by qs.q) || '|'
		   from (select distinct qa.question_id as q from answer qa where qa.${col} = ${id}) qs), '')`
		: `coalesce((select '|' || group_concat(qs.q, '|') || '|'
		   from (select distinct qa.question_id as q from answer qa where qa.${col} = ${id} order by q) qs), '')`;

/** Recompute the question set of a submission / perspective `id` (its update trigger then moves the counts). */
export const refreshQuestionSet = (table: 'submission' | 'perspective', id: string, pg: boolean) => {
	const col = table === 'submission' ? 'submission_id' : 'perspective_id';
	return `update ${table} set question_set = ${questionSetOf(col, id, pg)}
	 where id = ${id} and question_set <> ${questionSetOf(col, id, pg)}`;
};

const QS_ADD = `on conflict (${QUESTION_SET_KEY.join(', ')}) do update set n = ${QUESTION_SET_TABLE}.n + excluded.n`;
const QSP_ADD = `on conflict (${QUESTION_SET_PERSPECTIVE_KEY.join(', ')}) do update set n = ${QUESTION_SET_PERSPECTIVE_TABLE}.n + excluded.n`;

/** Submission row `r` (old / new) counted with `sign`. */
export const questionSetSubmissionRow = (r: string, sign: 1 | -1) =>
	`insert into ${QUESTION_SET_TABLE} (${QUESTION_SET_KEY.join(', ')}, n)
	 select ${r}.consultation_id, ${r}.question_set, ${r}.group_set, coalesce(${r}.district_code, ''), ${r}.channel,
	        coalesce(${r}.location_id, 0), substr(${r}.created_at, 1, 10), ${sign}
	 where true
	 ${QS_ADD}`;

/**
 * The perspectives of submission row `r` (old / new: its consultation, district and channel) counted with
 * `sign`, grouped (a submission's delete, or an edit of its district or channel).
 */
export const questionSetPerspectivesOf = (r: string, sign: 1 | -1) =>
	`insert into ${QUESTION_SET_PERSPECTIVE_TABLE} (${QUESTION_SET_PERSPECTIVE_KEY.join(', ')}, n)
	 select ${r}.consultation_id, p.question_set, coalesce(p.group_code, ''), coalesce(${r}.district_code, ''),
	        ${r}.channel, ${sign} * count(*)
	 from perspective p where p.submission_id = ${r}.id
	 group by p.question_set, coalesce(p.group_code, '')
	 ${QSP_ADD}`;

/** Perspective row `r` (old / new) counted with `sign`, its dimensions read from its submission (none: nothing). */
export const questionSetPerspectiveRow = (r: string, sign: 1 | -1) =>
	`insert into ${QUESTION_SET_PERSPECTIVE_TABLE} (${QUESTION_SET_PERSPECTIVE_KEY.join(', ')}, n)
	 select s.consultation_id, ${r}.question_set, coalesce(${r}.group_code, ''), coalesce(s.district_code, ''),
	        s.channel, ${sign}
	 from submission s where s.id = ${r}.submission_id
	 ${QSP_ADD}`;

/** The submissions' and perspectives' counts from their stored sets (the rebuild, after the sets). */
export const QUESTION_SET_COUNTS: string[] = [
	`delete from ${QUESTION_SET_TABLE}`,
	`insert into ${QUESTION_SET_TABLE} (${QUESTION_SET_KEY.join(', ')}, n)
	 select consultation_id, question_set, group_set, coalesce(district_code, ''), channel, coalesce(location_id, 0),
	        substr(created_at, 1, 10), count(*)
	 from submission
	 group by consultation_id, question_set, group_set, coalesce(district_code, ''), channel, coalesce(location_id, 0),
	          substr(created_at, 1, 10)`,
	`delete from ${QUESTION_SET_PERSPECTIVE_TABLE}`,
	`insert into ${QUESTION_SET_PERSPECTIVE_TABLE} (${QUESTION_SET_PERSPECTIVE_KEY.join(', ')}, n)
	 select s.consultation_id, p.question_set, coalesce(p.group_code, ''), coalesce(s.district_code, ''), s.channel,
	        count(*)
	 from perspective p join submission s on s.id = p.submission_id
	 group by s.consultation_id, p.question_set, coalesce(p.group_code, ''), coalesce(s.district_code, ''), s.channel`
];

/**
 * The stored sets recomputed from the answers, each table in one grouped pass over the answers (not a
 * correlated subquery per row), then the counts. Both engines (SQLite ≥ 3.44 for group_concat(… order by),
 * as rebuild-sqlite.ts's group sets).
 */
export const rebuildQuestionSets = (pg: boolean): string[] => {
	const sets = (col: 'submission_id' | 'perspective_id') =>
		pg
			? `select ${col} as id, '|' || string_agg(q::text, '|' order by q) || '|' as qs
			   from (select distinct ${col}, question_id as q from answer) d group by ${col}`
			: `select ${col} as id, '|' || group_concat(q, '|' order by q) || '|' as qs
			   from (select distinct ${col}, question_id as q from answer) group by ${col}`;
	const fill = (table: 'submission' | 'perspective', col: 'submission_id' | 'perspective_id') =>
		pg
			? [
					`update ${table} t set question_set = coalesce(x.qs, '')
					 from ${table} t2 left join (${sets(col)}) x on x.id = t2.id
					 where t2.id = t.id and t.question_set <> coalesce(x.qs, '')`
				]
			: [
					`drop table if exists temp.rebuild_question_set`,
					`create temp table rebuild_question_set (id ${table === 'submission' ? 'text' : 'integer'} primary key,
					 qs text not null)${table === 'submission' ? ' without rowid' : ''}`,
					`insert into temp.rebuild_question_set ${sets(col)}`,
					`update ${table} set question_set = coalesce((select r.qs from temp.rebuild_question_set r where r.id = ${table}.id), '')
					 where question_set <> coalesce((select r.qs from temp.rebuild_question_set r where r.id = ${table}.id), '')`,
					`drop table temp.rebuild_question_set`
				];
	return [...fill('submission', 'submission_id'), ...fill('perspective', 'perspective_id'), ...QUESTION_SET_COUNTS];
};

// ---- Question sets × equality answers (migration 2026-12-05-0110) ----

export const QUESTION_SET_EQUALITY_TABLE = 'analysis_agg_question_set_equality';
export const EQUALITY_COLUMNS = [
	'eq_age_band',
	'eq_gender',
	'eq_disability',
	'eq_ethnicity',
	'eq_sexual_orientation'
] as const;
/** Submissions per consultation × question set × group set × district × the five equality answers. */
export const QUESTION_SET_EQUALITY_KEY = [
	'consultation_id',
	'question_set',
	'group_set',
	'district_code',
	...EQUALITY_COLUMNS
] as const;

/** Submission row `r` (old / new) counted with `sign`. */
export const questionSetEqualityRow = (r: string, sign: 1 | -1) =>
	`insert into ${QUESTION_SET_EQUALITY_TABLE} (${QUESTION_SET_EQUALITY_KEY.join(', ')}, n)
	 select ${r}.consultation_id, ${r}.question_set, ${r}.group_set, coalesce(${r}.district_code, ''),
	        ${EQUALITY_COLUMNS.map((c) => `${r}.${c}`).join(', ')}, ${sign}
	 where true
	 on conflict (${QUESTION_SET_EQUALITY_KEY.join(', ')}) do update set n = ${QUESTION_SET_EQUALITY_TABLE}.n + excluded.n`;

/** Recomputed from the submissions' stored sets (after the sets: both rebuilds run it after rebuildQuestionSets). */
export const REBUILD_QUESTION_SET_EQUALITY: string[] = [
	`delete from ${QUESTION_SET_EQUALITY_TABLE}`,
	`insert into ${QUESTION_SET_EQUALITY_TABLE} (${QUESTION_SET_EQUALITY_KEY.join(', ')}, n)
	 select consultation_id, question_set, group_set, coalesce(district_code, ''), ${EQUALITY_COLUMNS.join(', ')}, count(*)
	 from submission
	 group by consultation_id, question_set, group_set, coalesce(district_code, ''), ${EQUALITY_COLUMNS.join(', ')}`
];

// ---- Group sets × channel × equality answers (migration 2026-12-09-0300) ----

export const GROUP_SET_CHANNEL_EQUALITY_TABLE = 'analysis_agg_group_set_channel_equality';
/** Submissions per consultation × group set × district × channel × the five equality answers. */
export const GROUP_SET_CHANNEL_EQUALITY_KEY = [
	'consultation_id',
	'group_set',
	'district_code',
	'channel',
	...EQUALITY_COLUMNS
] as const;

/** Submission row `r` (old / new) counted with `sign`. */
export const groupSetChannelEqualityRow = (r: string, sign: 1 | -1) =>
	`insert into ${GROUP_SET_CHANNEL_EQUALITY_TABLE} (${GROUP_SET_CHANNEL_EQUALITY_KEY.join(', ')}, n)
	 select ${r}.consultation_id, ${r}.group_set, coalesce(${r}.district_code, ''), ${r}.channel,
	        ${EQUALITY_COLUMNS.map((c) => `${r}.${c}`).join(', ')}, ${sign}
	 where true
	 on conflict (${GROUP_SET_CHANNEL_EQUALITY_KEY.join(', ')}) do update set n = ${GROUP_SET_CHANNEL_EQUALITY_TABLE}.n + excluded.n`;

/** Recomputed from the submissions' stored group sets (after the sets: both rebuilds run it after them). */
export const REBUILD_GROUP_SET_CHANNEL_EQUALITY: string[] = [
	`delete from ${GROUP_SET_CHANNEL_EQUALITY_TABLE}`,
	`insert into ${GROUP_SET_CHANNEL_EQUALITY_TABLE} (${GROUP_SET_CHANNEL_EQUALITY_KEY.join(', ')}, n)
	 select consultation_id, group_set, coalesce(district_code, ''), channel, ${EQUALITY_COLUMNS.join(', ')}, count(*)
	 from submission
	 group by consultation_id, group_set, coalesce(district_code, ''), channel, ${EQUALITY_COLUMNS.join(', ')}`
];
