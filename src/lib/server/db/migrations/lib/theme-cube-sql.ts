/**
 * SQL of the kept theme cube (migration 2026-12-11-0300, issue #19): per theme, the submissions and perspectives
 * with at least one answer that has an applying coding of the theme, counted in the cells a theme scope's
 * dashboard reads (its submission cube, equality combinations and perspective cube, each by question set), and the
 * theme's applying codings per question × district × channel. The migration (tables, first fill, triggers), both
 * rebuilds and the coder's set-based delta (src/lib/server/coding/aggregate-delta.ts) import these texts, so they
 * cannot drift apart.
 *
 * Frozen with the migration that uses it (as lib/aggregate-sql.ts): add new fragments beside the old ones.
 *
 * A submission's contribution to theme T is one count in its cell if any of its answers has an applying coding of
 * T, else nothing; a perspective's likewise. Every writer changes the contributions of a few (submission, theme)
 * and (perspective, theme) pairs: the triggers and the coder count those pairs' contributions before and after
 * the write and add the difference (`pairs` below: rows (id, theme_id, d) with d = ±1). NULL district / group are
 * '' and no location is 0, as in the other aggregate tables; the equality answers are stored as they are (not null).
 */
import { EQUALITY_COLUMNS } from './aggregate-sql';

export const THEME_SUBMISSION_TABLE = 'analysis_agg_theme_submission';
export const THEME_EQUALITY_TABLE = 'analysis_agg_theme_equality';
export const THEME_PERSPECTIVE_TABLE = 'analysis_agg_theme_perspective';
export const THEME_QUESTION_TABLE = 'analysis_agg_theme_question';
export const THEME_CUBE_TABLES = [
	THEME_SUBMISSION_TABLE,
	THEME_EQUALITY_TABLE,
	THEME_PERSPECTIVE_TABLE,
	THEME_QUESTION_TABLE
] as const;

/** The five equality answers, as the other equality aggregates name them. */
export const THEME_EQUALITY_COLUMNS = EQUALITY_COLUMNS;

/** Submissions per consultation × theme × the submission's question set × district × channel × location × day. */
export const THEME_SUBMISSION_KEY = [
	'consultation_id',
	'theme_id',
	'question_set',
	'district_code',
	'channel',
	'location_id',
	'day'
] as const;
/** Submissions per consultation × theme × question set × the five equality answers. */
export const THEME_EQUALITY_KEY = ['consultation_id', 'theme_id', 'question_set', ...THEME_EQUALITY_COLUMNS] as const;
/** Perspectives per consultation × theme × the perspective's question set × group × district × channel. */
export const THEME_PERSPECTIVE_KEY = [
	'consultation_id',
	'theme_id',
	'question_set',
	'group_code',
	'district_code',
	'channel'
] as const;
/** Applying codings (answers) per consultation × theme × the answer's question × district × channel. */
export const THEME_QUESTION_KEY = ['consultation_id', 'theme_id', 'question_id', 'district_code', 'channel'] as const;

const add = (table: string, key: readonly string[]) =>
	`on conflict (${key.join(', ')}) do update set n = ${table}.n + excluded.n`;

/** The submission row `s`'s cell values of the submission cube, after the consultation and theme. */
const subCell = (s: string) =>
	`${s}.question_set, coalesce(${s}.district_code, ''), ${s}.channel, coalesce(${s}.location_id, 0), substr(${s}.created_at, 1, 10)`;
const eqCell = (s: string) => `${s}.question_set, ${THEME_EQUALITY_COLUMNS.map((c) => `${s}.${c}`).join(', ')}`;
/** A perspective `p`'s cell after the consultation and theme, its district and channel from submission `s`. */
const perspCell = (p: string, s: string) =>
	`${p}.question_set, coalesce(${p}.group_code, ''), coalesce(${s}.district_code, ''), ${s}.channel`;

/**
 * Signed (submission, theme) pairs `pairs` (a table expression with columns sid, theme_id, d) added to the
 * submission cube and the equality table, through their submission (none left: nothing).
 */
export const submissionPairs = (pairs: string): string[] => [
	`insert into ${THEME_SUBMISSION_TABLE} (${THEME_SUBMISSION_KEY.join(', ')}, n)
	 select s.consultation_id, tp.theme_id, ${subCell('s')}, sum(tp.d)
	 from (${pairs}) tp join submission s on s.id = tp.sid
	 group by s.consultation_id, tp.theme_id, ${subCell('s')}
	 having sum(tp.d) <> 0
	 ${add(THEME_SUBMISSION_TABLE, THEME_SUBMISSION_KEY)}`,
	`insert into ${THEME_EQUALITY_TABLE} (${THEME_EQUALITY_KEY.join(', ')}, n)
	 select s.consultation_id, tp.theme_id, ${eqCell('s')}, sum(tp.d)
	 from (${pairs}) tp join submission s on s.id = tp.sid
	 group by s.consultation_id, tp.theme_id, ${eqCell('s')}
	 having sum(tp.d) <> 0
	 ${add(THEME_EQUALITY_TABLE, THEME_EQUALITY_KEY)}`
];

/** Signed (perspective, theme) pairs (columns pid, theme_id, d) added to the perspective cube. */
export const perspectivePairs = (pairs: string): string =>
	`insert into ${THEME_PERSPECTIVE_TABLE} (${THEME_PERSPECTIVE_KEY.join(', ')}, n)
	 select s.consultation_id, tp.theme_id, ${perspCell('p', 's')}, sum(tp.d)
	 from (${pairs}) tp join perspective p on p.id = tp.pid join submission s on s.id = p.submission_id
	 group by s.consultation_id, tp.theme_id, ${perspCell('p', 's')}
	 having sum(tp.d) <> 0
	 ${add(THEME_PERSPECTIVE_TABLE, THEME_PERSPECTIVE_KEY)}`;

/** Signed codings (columns question_id, sid, theme_id, d) added to the answers per theme × question. */
export const questionCodings = (codings: string): string =>
	`insert into ${THEME_QUESTION_TABLE} (${THEME_QUESTION_KEY.join(', ')}, n)
	 select s.consultation_id, tc.theme_id, tc.question_id, coalesce(s.district_code, ''), s.channel, sum(tc.d)
	 from (${codings}) tc join submission s on s.id = tc.sid
	 group by s.consultation_id, tc.theme_id, tc.question_id, coalesce(s.district_code, ''), s.channel
	 having sum(tc.d) <> 0
	 ${add(THEME_QUESTION_TABLE, THEME_QUESTION_KEY)}`;

/** Some answer of `col` (submission_id / perspective_id) = `id`, other than `except`, has an applying coding of `theme`. */
const otherHas = (col: string, id: string, theme: string, except: string) =>
	`exists (select 1 from answer a2 join answer_theme y on y.answer_id = a2.id
	 where a2.${col} = ${id} and a2.id <> ${except} and y.theme_id = ${theme} and y.applies = 1)`;

/**
 * A change of `answer_theme` rows: `ot` / `nt` (table expressions with answer_id, theme_id, applies: the old and
 * new rows of the statement, PostgreSQL's transition tables or a SQLite row) run after the change. The touched
 * pairs' contributions now minus before (before = the codings now − the new rows + the old rows).
 */
export function codingChange(ot: string, nt: string): string[] {
	const touched = `(select ox.answer_id, ox.theme_id from ${ot} ox union select nx.answer_id, nx.theme_id from ${nt} nx)`;
	// Joins, not a correlated test per pair: PostgreSQL hashes the anti join with the new rows (as a subplan per
	// pair inside a CASE it scanned the transition table once per pair: quadratic in a bulk insert's rows).
	const delta = (col: 'submission_id' | 'perspective_id', alias: string) => {
		const pairs = `(select distinct a.${col} as ${alias}, x.theme_id from ${touched} x join answer a on a.id = x.answer_id)`;
		const codings = `${pairs} tp join answer a2 on a2.${col} = tp.${alias}
			join answer_theme y on y.answer_id = a2.id and y.theme_id = tp.theme_id`;
		return `select ${alias}, theme_id, sum(d) as d from (
			select distinct tp.${alias}, tp.theme_id, 1 as d from ${codings} where y.applies = 1
			union all
			select distinct b.${alias}, b.theme_id, -1 as d from (
				select tp.${alias}, tp.theme_id from ${codings}
				where y.applies = 1 and not exists (select 1 from ${nt} n where n.answer_id = y.answer_id and n.theme_id = y.theme_id)
				union all
				select a3.${col}, o.theme_id from ${ot} o join answer a3 on a3.id = o.answer_id where o.applies = 1
			) b
		) z group by ${alias}, theme_id having sum(d) <> 0`;
	};
	return [
		...submissionPairs(delta('submission_id', 'sid')),
		perspectivePairs(delta('perspective_id', 'pid')),
		questionCodings(
			`select a.question_id, a.submission_id as sid, x.theme_id, x.d from (
				select nx.answer_id, nx.theme_id, 1 as d from ${nt} nx where nx.applies = 1
				union all select ox.answer_id, ox.theme_id, -1 as d from ${ot} ox where ox.applies = 1) x
			 join answer a on a.id = x.answer_id`
		)
	];
}

/**
 * Answer row `r` (old / new, in a BEFORE trigger: the row itself not yet changed) leaving its submission,
 * perspective and question (sign -1, as `r` = old), or joining those of `r` (sign 1, as `r` = new); `id` is the
 * answer's id (its codings). A pair counts only when no other answer of the submission (perspective) has the theme.
 */
export function answerShare(r: string, id: string, sign: 1 | -1): string[] {
	const own = `from answer_theme x where x.answer_id = ${id} and x.applies = 1`;
	return [
		...submissionPairs(
			`select ${r}.submission_id as sid, x.theme_id, ${sign} as d ${own}
			 and not ${otherHas('submission_id', `${r}.submission_id`, 'x.theme_id', id)}`
		),
		perspectivePairs(
			`select ${r}.perspective_id as pid, x.theme_id, ${sign} as d ${own}
			 and not ${otherHas('perspective_id', `${r}.perspective_id`, 'x.theme_id', id)}`
		),
		questionCodings(`select ${r}.question_id as question_id, ${r}.submission_id as sid, x.theme_id, ${sign} as d ${own}`)
	];
}

/** The themes of the answers whose `col` is `id` (distinct, applying). */
const themesOf = (col: 'submission_id' | 'perspective_id', id: string) =>
	`select distinct x.theme_id from answer a join answer_theme x on x.answer_id = a.id
	 where a.${col} = ${id} and x.applies = 1`;

/** Submission row `r`'s themes counted with `sign` in the submission cube, from `r`'s own values. */
export const submissionRowCube = (r: string, sign: 1 | -1) =>
	`insert into ${THEME_SUBMISSION_TABLE} (${THEME_SUBMISSION_KEY.join(', ')}, n)
	 select ${r}.consultation_id, t.theme_id, ${subCell(r)}, ${sign}
	 from (${themesOf('submission_id', `${r}.id`)}) t where true
	 ${add(THEME_SUBMISSION_TABLE, THEME_SUBMISSION_KEY)}`;
/** The same in the equality table. */
export const submissionRowEquality = (r: string, sign: 1 | -1) =>
	`insert into ${THEME_EQUALITY_TABLE} (${THEME_EQUALITY_KEY.join(', ')}, n)
	 select ${r}.consultation_id, t.theme_id, ${eqCell(r)}, ${sign}
	 from (${themesOf('submission_id', `${r}.id`)}) t where true
	 ${add(THEME_EQUALITY_TABLE, THEME_EQUALITY_KEY)}`;

/**
 * Submission row `r`'s perspectives and answers counted with `sign` with `r`'s consultation, district and channel
 * (its delete, or a move between those cells).
 */
export const submissionRowChildren = (r: string, sign: 1 | -1): string[] => [
	`insert into ${THEME_PERSPECTIVE_TABLE} (${THEME_PERSPECTIVE_KEY.join(', ')}, n)
	 select ${r}.consultation_id, t.theme_id, ${perspCell('t', r)}, ${sign} * count(*)
	 from (select distinct p.id, p.question_set, p.group_code, x.theme_id
	       from perspective p join answer a on a.perspective_id = p.id join answer_theme x on x.answer_id = a.id
	       where p.submission_id = ${r}.id and x.applies = 1) t
	 group by t.theme_id, t.question_set, coalesce(t.group_code, '')
	 ${add(THEME_PERSPECTIVE_TABLE, THEME_PERSPECTIVE_KEY)}`,
	`insert into ${THEME_QUESTION_TABLE} (${THEME_QUESTION_KEY.join(', ')}, n)
	 select ${r}.consultation_id, x.theme_id, a.question_id, coalesce(${r}.district_code, ''), ${r}.channel, ${sign} * count(*)
	 from answer a join answer_theme x on x.answer_id = a.id
	 where a.submission_id = ${r}.id and x.applies = 1
	 group by x.theme_id, a.question_id
	 ${add(THEME_QUESTION_TABLE, THEME_QUESTION_KEY)}`
];

/** Perspective row `r`'s themes counted with `sign` in the perspective cube, its district and channel from its submission. */
export const perspectiveRow = (r: string, sign: 1 | -1) =>
	`insert into ${THEME_PERSPECTIVE_TABLE} (${THEME_PERSPECTIVE_KEY.join(', ')}, n)
	 select s.consultation_id, t.theme_id, ${r}.question_set, coalesce(${r}.group_code, ''), coalesce(s.district_code, ''),
	        s.channel, ${sign}
	 from (${themesOf('perspective_id', `${r}.id`)}) t join submission s on s.id = ${r}.submission_id
	 where true
	 ${add(THEME_PERSPECTIVE_TABLE, THEME_PERSPECTIVE_KEY)}`;

/**
 * The whole contributions of the submissions and perspectives of the answers `ids` selects (a sub-select of
 * answer ids) and of those answers' codings, counted with `sign`: the coder's delta (before its write with -1,
 * after with 1). Whole submissions and perspectives, as a pair's contribution depends on all their answers.
 */
export function answersShares(ids: string, sign: 1 | -1): string[] {
	const s = `${sign}`;
	return [
		...submissionPairs(
			`select distinct a.submission_id as sid, x.theme_id, ${s} as d
			 from answer a join answer_theme x on x.answer_id = a.id
			 where a.submission_id in (select submission_id from answer where id in (${ids})) and x.applies = 1`
		),
		perspectivePairs(
			`select distinct a.perspective_id as pid, x.theme_id, ${s} as d
			 from answer a join answer_theme x on x.answer_id = a.id
			 where a.perspective_id in (select perspective_id from answer where id in (${ids})) and x.applies = 1`
		),
		questionCodings(
			`select a.question_id, a.submission_id as sid, x.theme_id, ${s} as d
			 from answer a join answer_theme x on x.answer_id = a.id
			 where a.id in (${ids}) and x.applies = 1`
		)
	];
}

/** Recomputed from the base tables (the migration's first fill and `npm run analysis -- rebuild`, both engines). */
export const REBUILD_THEME_CUBE: string[] = [
	...THEME_CUBE_TABLES.map((t) => `delete from ${t}`),
	...submissionPairs(
		`select distinct a.submission_id as sid, x.theme_id, 1 as d
		 from answer_theme x join answer a on a.id = x.answer_id where x.applies = 1`
	),
	perspectivePairs(
		`select distinct a.perspective_id as pid, x.theme_id, 1 as d
		 from answer_theme x join answer a on a.id = x.answer_id where x.applies = 1`
	),
	questionCodings(
		`select a.question_id, a.submission_id as sid, x.theme_id, 1 as d
		 from answer_theme x join answer a on a.id = x.answer_id where x.applies = 1`
	)
];
