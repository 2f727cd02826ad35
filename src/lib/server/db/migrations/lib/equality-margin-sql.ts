/**
 * SQL of the kept equality margins (migration 2026-12-11-0600), shared by the migration, both rebuilds and the
 * survey writer's grouped commit (submissions/writer-aggregates.ts counts the same cells in JavaScript).
 *
 * Frozen with the migration that uses it (as lib/aggregate-sql.ts): change a fragment only through a new
 * migration that re-creates the triggers. Plain strings, both engines (no application code imported).
 */
import { EQUALITY_COLUMNS, GROUP_SET_CHANNEL_EQUALITY_TABLE } from './aggregate-sql';

export const EQUALITY_MARGIN_TABLE = 'analysis_agg_group_set_equality_margin';
/**
 * Submissions per consultation × group set × district × channel × field × value: `field` one of the five equality
 * columns with `value` its answer, or COMPLETED_FIELD with value '1' (at least one of the five answered) or '0'.
 * Each submission counts once under every field.
 */
export const EQUALITY_MARGIN_KEY = [
	'consultation_id',
	'group_set',
	'district_code',
	'channel',
	'field',
	'value'
] as const;
export const COMPLETED_FIELD = 'completed';
/** The answers the headline counts as not given (null read as 'left_blank'), as the dashboard's EQUALITY_SKIPPED. */
export const MARGIN_SKIPPED = ['not_asked', 'left_blank'] as const;

const FIELDS = [...EQUALITY_COLUMNS, COMPLETED_FIELD];
/** The six fields as a one-column table `f(field)` (no VALUES alias list: SQLite has none). */
const FIELD_ROWS = `(${FIELDS.map((f, i) => `select '${f}'${i === 0 ? ' as field' : ''}`).join(' union all ')}) f`;

/** The value row `r` (a submission, or a row of the group-set channel equality table) counts under field `f`. */
const valueOf = (r: string) => {
	const skipped = EQUALITY_COLUMNS.map(
		(c) => `coalesce(${r}.${c}, 'left_blank') in (${MARGIN_SKIPPED.map((v) => `'${v}'`).join(', ')})`
	).join(' and ');
	return `case f.field ${EQUALITY_COLUMNS.map((c) => `when '${c}' then ${r}.${c}`).join(' ')}
	        else case when ${skipped} then '0' else '1' end end`;
};

const ADD = `on conflict (${EQUALITY_MARGIN_KEY.join(', ')}) do update set n = ${EQUALITY_MARGIN_TABLE}.n + excluded.n`;

/** Submission row `r` (old / new, in a row trigger) counted with `sign` under each of the six fields. */
export const equalityMarginRow = (r: string, sign: 1 | -1) =>
	`insert into ${EQUALITY_MARGIN_TABLE} (${EQUALITY_MARGIN_KEY.join(', ')}, n)
	 select ${r}.consultation_id, ${r}.group_set, coalesce(${r}.district_code, ''), ${r}.channel, f.field, ${valueOf(r)}, ${sign}
	 from ${FIELD_ROWS}
	 where true
	 ${ADD}`;

/**
 * Recomputed from the group-set channel equality table (the same submissions by the same keys and the five answers:
 * a few thousand rows instead of every submission), so both rebuilds run it after that table's rebuild.
 */
export const REBUILD_EQUALITY_MARGINS: string[] = [
	`delete from ${EQUALITY_MARGIN_TABLE}`,
	`insert into ${EQUALITY_MARGIN_TABLE} (${EQUALITY_MARGIN_KEY.join(', ')}, n)
	 select e.consultation_id, e.group_set, e.district_code, e.channel, f.field, ${valueOf('e')}, sum(e.n)
	 from ${GROUP_SET_CHANNEL_EQUALITY_TABLE} e cross join ${FIELD_ROWS}
	 where e.n <> 0
	 group by e.consultation_id, e.group_set, e.district_code, e.channel, f.field, ${valueOf('e')}
	 having sum(e.n) <> 0`
];
