import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { changedOnBoth, createTriggers, dropTriggers, onEngine, type DualTrigger } from './lib/trigger-sql';

// Frozen: never import application code here; a later change gets a new migration.

/**
 * Submission-level aggregates for the analysis views (issue #19), kept right by SQL triggers in the
 * same transaction as every write, like the answer-level ones of migration 2026-12-01-0220:
 *
 *   analysis_agg_submission: submissions per consultation × district × channel × location × day
 *     (the first ten characters of created_at), and how many of them are demo rows. Headline,
 *     districts, channels, locations, weeks, the method's days, and cross-tabs of those.
 *   analysis_agg_perspective: perspectives (a submission answering as one respondent type) per
 *     consultation × group × district × channel. Respondent types, respondent types × districts
 *     (or channels), and the denominators of the questions table.
 *   analysis_agg_equality: submissions per consultation × the five equality answers (the tables are
 *     its margins; "completed any" is read from the combinations).
 *
 * NULL group / district are stored as '' and a NULL location as 0 (ids start at 1), so the keys
 * can be primary keys on both engines.
 *
 * Deletes: as in 0220, a cascade removes the submission before its perspectives' triggers run (both
 * engines), so the submission's BEFORE DELETE trigger subtracts its perspectives, and the
 * perspective trigger (which finds its dimensions by joining its submission) subtracts nothing
 * under a submission that is already gone.
 */

const SUB_KEY = '(consultation_id, district_code, channel, location_id, day)';
const PERSP_KEY = '(consultation_id, group_code, district_code, channel)';
const EQ_COLS = ['eq_age_band', 'eq_gender', 'eq_disability', 'eq_ethnicity', 'eq_sexual_orientation'];
const EQ_KEY = `(consultation_id, ${EQ_COLS.join(', ')})`;
const ADD_SUB = `on conflict ${SUB_KEY} do update set n = analysis_agg_submission.n + excluded.n, demo = analysis_agg_submission.demo + excluded.demo`;
const ADD_PERSP = `on conflict ${PERSP_KEY} do update set n = analysis_agg_perspective.n + excluded.n`;
const ADD_EQ = `on conflict ${EQ_KEY} do update set n = analysis_agg_equality.n + excluded.n`;

/** One submission row (`r` = old / new) counted with `sign` in the submission table. */
const subRow = (r: string, sign: number) =>
	`insert into analysis_agg_submission (consultation_id, district_code, channel, location_id, day, n, demo)
	 select ${r}.consultation_id, coalesce(${r}.district_code, ''), ${r}.channel, coalesce(${r}.location_id, 0),
	        substr(${r}.created_at, 1, 10), ${sign}, case when ${r}.is_demo = 1 then ${sign} else 0 end
	 where true
	 ${ADD_SUB}`;

/** One submission row counted with `sign` in the equality table. */
const eqRow = (r: string, sign: number) =>
	`insert into analysis_agg_equality (consultation_id, ${EQ_COLS.join(', ')}, n)
	 select ${r}.consultation_id, ${EQ_COLS.map((c) => `${r}.${c}`).join(', ')}, ${sign}
	 where true
	 ${ADD_EQ}`;

/** The perspectives of the submission `r` (old / new) counted with `sign`, with that row's district and channel. */
const perspectivesOf = (r: string, sign: number) =>
	`insert into analysis_agg_perspective (consultation_id, group_code, district_code, channel, n)
	 select ${r}.consultation_id, coalesce(p.group_code, ''), coalesce(${r}.district_code, ''), ${r}.channel, ${sign} * count(*)
	 from perspective p where p.submission_id = ${r}.id
	 group by coalesce(p.group_code, '')
	 ${ADD_PERSP}`;

/** One perspective row (`r`) counted with `sign`, its dimensions read from its submission (nothing if that is gone). */
const perspectiveRow = (r: string, sign: number) =>
	`insert into analysis_agg_perspective (consultation_id, group_code, district_code, channel, n)
	 select s.consultation_id, coalesce(${r}.group_code, ''), coalesce(s.district_code, ''), s.channel, ${sign}
	 from submission s where s.id = ${r}.submission_id
	 ${ADD_PERSP}`;


const TRIGGERS: DualTrigger[] = [
	{
		name: 'agg_sub_submission_insert',
		table: 'submission',
		timing: 'after',
		op: 'insert',
		body: [subRow('new', 1), eqRow('new', 1)]
	},
	{
		name: 'agg_sub_submission_delete',
		table: 'submission',
		timing: 'before',
		op: 'delete',
		body: [subRow('old', -1), eqRow('old', -1), perspectivesOf('old', -1)]
	},
	{
		name: 'agg_sub_submission_counts',
		table: 'submission',
		timing: 'after',
		op: 'update',
		when: changedOnBoth(['consultation_id', 'district_code', 'channel', 'location_id', 'created_at', 'is_demo']),
		body: [subRow('old', -1), subRow('new', 1)]
	},
	{
		name: 'agg_sub_submission_equality',
		table: 'submission',
		timing: 'after',
		op: 'update',
		when: changedOnBoth(['consultation_id', ...EQ_COLS]),
		body: [eqRow('old', -1), eqRow('new', 1)]
	},
	{
		name: 'agg_sub_submission_perspectives',
		table: 'submission',
		timing: 'after',
		op: 'update',
		when: changedOnBoth(['consultation_id', 'district_code', 'channel']),
		// The perspectives still point at this submission: count them with the old dimensions, then the new.
		body: [perspectivesOf('old', -1), perspectivesOf('new', 1)]
	},
	{
		name: 'agg_sub_perspective_insert',
		table: 'perspective',
		timing: 'after',
		op: 'insert',
		body: [perspectiveRow('new', 1)]
	},
	{
		name: 'agg_sub_perspective_delete',
		table: 'perspective',
		timing: 'before',
		op: 'delete',
		body: [perspectiveRow('old', -1)]
	},
	{
		name: 'agg_sub_perspective_update',
		table: 'perspective',
		timing: 'after',
		op: 'update',
		when: changedOnBoth(['group_code', 'submission_id']),
		body: [perspectiveRow('old', -1), perspectiveRow('new', 1)]
	}
];

/** Everything recomputed from the base tables (the migration's first fill and `npm run analysis -- rebuild`). */
export const REBUILD_SUBMISSIONS: string[] = [
	`delete from analysis_agg_submission`,
	`delete from analysis_agg_perspective`,
	`delete from analysis_agg_equality`,
	`insert into analysis_agg_submission (consultation_id, district_code, channel, location_id, day, n, demo)
	 select consultation_id, coalesce(district_code, ''), channel, coalesce(location_id, 0), substr(created_at, 1, 10),
	        count(*), sum(case when is_demo = 1 then 1 else 0 end)
	 from submission
	 group by consultation_id, coalesce(district_code, ''), channel, coalesce(location_id, 0), substr(created_at, 1, 10)`,
	`insert into analysis_agg_perspective (consultation_id, group_code, district_code, channel, n)
	 select s.consultation_id, coalesce(p.group_code, ''), coalesce(s.district_code, ''), s.channel, count(*)
	 from perspective p join submission s on s.id = p.submission_id
	 group by s.consultation_id, coalesce(p.group_code, ''), coalesce(s.district_code, ''), s.channel`,
	`insert into analysis_agg_equality (consultation_id, ${EQ_COLS.join(', ')}, n)
	 select consultation_id, ${EQ_COLS.join(', ')}, count(*)
	 from submission
	 group by consultation_id, ${EQ_COLS.join(', ')}`
];

export async function up(db: Kysely<any>): Promise<void> {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	await db.schema
		.createTable('analysis_agg_submission')
		.addColumn('consultation_id', 'integer', (c) => c.notNull())
		.addColumn('district_code', 'text', (c) => c.notNull())
		.addColumn('channel', 'text', (c) => c.notNull())
		.addColumn('location_id', 'integer', (c) => c.notNull())
		.addColumn('day', 'text', (c) => c.notNull())
		.addColumn('n', 'integer', (c) => c.notNull())
		.addColumn('demo', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('analysis_agg_submission_pk', [
			'consultation_id',
			'district_code',
			'channel',
			'location_id',
			'day'
		])
		.execute();
	await db.schema
		.createTable('analysis_agg_perspective')
		.addColumn('consultation_id', 'integer', (c) => c.notNull())
		.addColumn('group_code', 'text', (c) => c.notNull())
		.addColumn('district_code', 'text', (c) => c.notNull())
		.addColumn('channel', 'text', (c) => c.notNull())
		.addColumn('n', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('analysis_agg_perspective_pk', ['consultation_id', 'group_code', 'district_code', 'channel'])
		.execute();
	let eq = db.schema.createTable('analysis_agg_equality').addColumn('consultation_id', 'integer', (c) => c.notNull());
	for (const col of EQ_COLS) eq = eq.addColumn(col, 'text', (c) => c.notNull());
	await eq
		.addColumn('n', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('analysis_agg_equality_pk', ['consultation_id', ...EQ_COLS] as never)
		.execute();
	await createTriggers(db, pg, onEngine(TRIGGERS, pg), { pgWhenInBody: true });
	for (const s of REBUILD_SUBMISSIONS) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	await dropTriggers(db, pg, onEngine(TRIGGERS, pg));
	for (const t of ['analysis_agg_submission', 'analysis_agg_perspective', 'analysis_agg_equality'])
		await db.schema.dropTable(t).ifExists().execute();
}
