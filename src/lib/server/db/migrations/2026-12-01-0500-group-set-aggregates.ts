import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { changedOnBoth, createTriggers, dropTriggers, onEngine, type DualTrigger } from './lib/trigger-sql';

// Frozen: never import application code here; a later change gets a new migration.

/**
 * Submission-level aggregates under a group filter (issue #19). A submission can answer from
 * several perspectives (respondent types), so "submissions by district, filtered to children" is not
 * a sum over the perspective table: it counts the submissions whose set of respondent types
 * contains "child". The set is small (a handful of types per consultation, and most submissions
 * answer as one), so the counts are kept per set, and a group filter sums the sets that contain
 * the group:
 *
 *   submission.group_set: the submission's respondent types as a sorted key, '|child|parent_carer|'
 *     ('' for a perspective with no type, so '||child|' holds "not known" and child; a submission
 *     with no perspectives has ''). Kept by triggers on perspective; "contains G" is
 *     replace(group_set, '|G|', '') <> group_set on both engines.
 *   analysis_agg_group_set: submissions per consultation × group_set × district × channel ×
 *     location × day (headline, districts, channels, locations, weeks and their cross-tabs under a
 *     group filter, with district, channel and date filters too).
 *   analysis_agg_group_set_equality: submissions per consultation × group_set × district × the five
 *     equality answers (the equality tables under a group and / or district filter).
 *
 * NULL district is stored as '' and NULL location as 0, as in 0300. Deletes: the submission's
 * BEFORE DELETE trigger subtracts it with its set; the perspectives' AFTER DELETE trigger (also on
 * a cascade) recomputes the set of a submission that is then already gone, which updates nothing.
 * PostgreSQL runs row-level AFTER triggers at the end of the statement: every perspective of a
 * multi-row insert then sees the whole final set, and the update is the same for each.
 */

const EQ_COLS = ['eq_age_band', 'eq_gender', 'eq_disability', 'eq_ethnicity', 'eq_sexual_orientation'];
const GS_KEY = '(consultation_id, group_set, district_code, channel, location_id, day)';
const GSE_KEY = `(consultation_id, group_set, district_code, ${EQ_COLS.join(', ')})`;

/**
 * The set of respondent types of submission `id` (an SQL expression), as the sorted key.
 * PostgreSQL: string_agg(... order by). SQLite: group_concat over an ordered sub-select, which
 * SQLite before 3.44 (e.g. an older sqlite3 shell opening the file) can still parse; its order
 * is not promised, but a differently ordered key would only split a set's counts across two rows:
 * "contains G" and every sum stay exact. The application reads the key in analysis/aggregates.ts
 * (inSet, setMembers; the key's format is stated once there, above inSet): change neither without the other.
 */
export const groupSetOf = (id: string, pg: boolean) =>
	pg
		? `coalesce((select '|' || string_agg(gs.g, '|' order by gs.g) || '|'
		   from (select distinct coalesce(gp.group_code, '') as g from perspective gp where gp.submission_id = ${id}) gs), '')`
		: `coalesce((select '|' || group_concat(gs.g, '|') || '|'
		   from (select distinct coalesce(gp.group_code, '') as g from perspective gp where gp.submission_id = ${id} order by g) gs), '')`;

/** Submission `r` (old / new) counted with `sign` in both tables. */
const countRow = (r: string, sign: number) => [
	`insert into analysis_agg_group_set (consultation_id, group_set, district_code, channel, location_id, day, n)
	 select ${r}.consultation_id, ${r}.group_set, coalesce(${r}.district_code, ''), ${r}.channel,
	        coalesce(${r}.location_id, 0), substr(${r}.created_at, 1, 10), ${sign}
	 where true
	 on conflict ${GS_KEY} do update set n = analysis_agg_group_set.n + excluded.n`,
	`insert into analysis_agg_group_set_equality (consultation_id, group_set, district_code, ${EQ_COLS.join(', ')}, n)
	 select ${r}.consultation_id, ${r}.group_set, coalesce(${r}.district_code, ''), ${EQ_COLS.map((c) => `${r}.${c}`).join(', ')}, ${sign}
	 where true
	 on conflict ${GSE_KEY} do update set n = analysis_agg_group_set_equality.n + excluded.n`
];

/** Recompute the set of the submission `id` (its update trigger then moves the counts). */
const refreshSet = (id: string, pg: boolean) =>
	`update submission set group_set = ${groupSetOf(id, pg)} where id = ${id} and group_set <> ${groupSetOf(id, pg)}`;
const fillSets = (pg: boolean) =>
	`update submission set group_set = ${groupSetOf('submission.id', pg)} where group_set <> ${groupSetOf('submission.id', pg)}`;


const triggers = (pg: boolean): DualTrigger[] => [
	{
		name: 'agg_gs_submission_insert',
		table: 'submission',
		timing: 'after',
		op: 'insert',
		body: countRow('new', 1)
	},
	{
		name: 'agg_gs_submission_delete',
		table: 'submission',
		timing: 'before',
		op: 'delete',
		body: countRow('old', -1)
	},
	{
		name: 'agg_gs_submission_update',
		table: 'submission',
		timing: 'after',
		op: 'update',
		when: changedOnBoth([
			'consultation_id',
			'group_set',
			'district_code',
			'channel',
			'location_id',
			'created_at',
			...EQ_COLS
		]),
		body: [...countRow('old', -1), ...countRow('new', 1)]
	},
	{
		name: 'agg_gs_perspective_insert',
		table: 'perspective',
		timing: 'after',
		op: 'insert',
		body: [refreshSet('new.submission_id', pg)]
	},
	{
		name: 'agg_gs_perspective_delete',
		table: 'perspective',
		timing: 'after',
		op: 'delete',
		body: [refreshSet('old.submission_id', pg)]
	},
	{
		name: 'agg_gs_perspective_update',
		table: 'perspective',
		timing: 'after',
		op: 'update',
		when: changedOnBoth(['group_code', 'submission_id']),
		body: [refreshSet('old.submission_id', pg), refreshSet('new.submission_id', pg)]
	}
];

const FILL = [
	`insert into analysis_agg_group_set (consultation_id, group_set, district_code, channel, location_id, day, n)
	 select consultation_id, group_set, coalesce(district_code, ''), channel, coalesce(location_id, 0), substr(created_at, 1, 10), count(*)
	 from submission
	 group by consultation_id, group_set, coalesce(district_code, ''), channel, coalesce(location_id, 0), substr(created_at, 1, 10)`,
	`insert into analysis_agg_group_set_equality (consultation_id, group_set, district_code, ${EQ_COLS.join(', ')}, n)
	 select consultation_id, group_set, coalesce(district_code, ''), ${EQ_COLS.join(', ')}, count(*)
	 from submission
	 group by consultation_id, group_set, coalesce(district_code, ''), ${EQ_COLS.join(', ')}`
];

/** Everything recomputed from the base tables (`npm run analysis -- rebuild`): the sets first, then the counts. */
export const rebuildGroupSets = (pg: boolean): string[] => [
	fillSets(pg),
	`delete from analysis_agg_group_set`,
	`delete from analysis_agg_group_set_equality`,
	...FILL
];

export async function up(db: Kysely<any>): Promise<void> {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	await db.schema
		.alterTable('submission')
		.addColumn('group_set', 'text', (c) => c.notNull().defaultTo(''))
		.execute();
	// The sets of the submissions already stored, before the triggers exist.
	await sql.raw(fillSets(pg)).execute(db);
	await db.schema
		.createTable('analysis_agg_group_set')
		.addColumn('consultation_id', 'integer', (c) => c.notNull())
		.addColumn('group_set', 'text', (c) => c.notNull())
		.addColumn('district_code', 'text', (c) => c.notNull())
		.addColumn('channel', 'text', (c) => c.notNull())
		.addColumn('location_id', 'integer', (c) => c.notNull())
		.addColumn('day', 'text', (c) => c.notNull())
		.addColumn('n', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('analysis_agg_group_set_pk', [
			'consultation_id',
			'group_set',
			'district_code',
			'channel',
			'location_id',
			'day'
		])
		.execute();
	let eq = db.schema
		.createTable('analysis_agg_group_set_equality')
		.addColumn('consultation_id', 'integer', (c) => c.notNull())
		.addColumn('group_set', 'text', (c) => c.notNull())
		.addColumn('district_code', 'text', (c) => c.notNull());
	for (const col of EQ_COLS) eq = eq.addColumn(col, 'text', (c) => c.notNull());
	await eq
		.addColumn('n', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('analysis_agg_group_set_equality_pk', [
			'consultation_id',
			'group_set',
			'district_code',
			...EQ_COLS
		] as never)
		.execute();
	await createTriggers(db, pg, onEngine(triggers(pg), pg), { pgWhenInBody: true });
	for (const s of FILL) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	await dropTriggers(db, pg, onEngine(triggers(pg), pg));
	for (const t of ['analysis_agg_group_set', 'analysis_agg_group_set_equality'])
		await db.schema.dropTable(t).ifExists().execute();
	await db.schema.alterTable('submission').dropColumn('group_set').execute();
}
