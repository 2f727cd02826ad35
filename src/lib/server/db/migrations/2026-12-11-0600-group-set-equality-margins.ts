import { PostgresAdapter, sql, type Kysely } from 'kysely';
import {
	EQUALITY_MARGIN_KEY,
	EQUALITY_MARGIN_TABLE,
	REBUILD_EQUALITY_MARGINS,
	equalityMarginRow
} from './lib/equality-margin-sql';
import { EQUALITY_COLUMNS } from './lib/aggregate-sql';
import { WRITER_GUARD } from './2026-12-11-0200-writer-aggregates';

// Frozen: never import application code here; a later change gets a new migration. The SQL fragments come
// from lib/equality-margin-sql.ts (frozen with this migration), which the rebuilds import too.

/**
 * The dashboard's equality tables and headline read each equality field's margin (issue #19). Under a group,
 * district or channel filter they were grouped per request from the group-set equality tables' five-way
 * combinations (a materialized CTE over ~17,000 rows, joined to the group family's members: at 1,000,001 answers
 * the child + Bromsgrove dashboard's three margin statements were over half of its SQL time). This table keeps the
 * margins themselves: submissions per consultation × group set × district × channel × field × value
 * (lib/equality-margin-sql.ts), six rows a submission, so a scope sums a few thousand small rows.
 *
 * Submission triggers only, as 2026-12-09-0300: insert, delete (BEFORE) and update of a keyed column (the group
 * set included: the perspective triggers update it on the submission). On SQLite the insert trigger carries the
 * survey writer's guard (migration 2026-12-11-0200): the grouped commit adds its batch's share itself
 * (submissions/writer-aggregates.ts), and uses that path only when every insert trigger is guarded.
 */

interface Trig {
	name: string;
	timing: 'before' | 'after';
	op: 'insert' | 'update' | 'delete';
	when?: string[];
	body: string[];
}

const TRIGGERS: Trig[] = [
	{ name: 'agg_gsem_submission_insert', timing: 'after', op: 'insert', body: [equalityMarginRow('new', 1)] },
	{ name: 'agg_gsem_submission_delete', timing: 'before', op: 'delete', body: [equalityMarginRow('old', -1)] },
	{
		name: 'agg_gsem_submission_update',
		timing: 'after',
		op: 'update',
		when: ['consultation_id', 'group_set', 'district_code', 'channel', ...EQUALITY_COLUMNS],
		body: [equalityMarginRow('old', -1), equalityMarginRow('new', 1)]
	}
];

const changed = (cols: string[], pg: boolean) =>
	cols.map((c) => `old.${c} ${pg ? 'is distinct from' : 'is not'} new.${c}`).join(' or ');

export async function up(db: Kysely<any>): Promise<void> {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	await db.schema
		.createTable(EQUALITY_MARGIN_TABLE)
		.addColumn('consultation_id', 'integer', (c) => c.notNull())
		.addColumn('group_set', 'text', (c) => c.notNull())
		.addColumn('district_code', 'text', (c) => c.notNull())
		.addColumn('channel', 'text', (c) => c.notNull())
		.addColumn('field', 'text', (c) => c.notNull())
		.addColumn('value', 'text', (c) => c.notNull())
		.addColumn('n', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint(`${EQUALITY_MARGIN_TABLE}_pk`, [...EQUALITY_MARGIN_KEY] as never)
		.execute();
	for (const s of REBUILD_EQUALITY_MARGINS) await sql.raw(s).execute(db);
	for (const tr of TRIGGERS) {
		const body = tr.body.map((s) => `${s};`).join('\n');
		if (pg) {
			await sql
				.raw(
					`create function ${tr.name}() returns trigger language plpgsql as $$
					 begin
					 ${body}
					 return ${tr.timing === 'before' ? 'old' : 'null'};
					 end $$`
				)
				.execute(db);
			await sql
				.raw(
					`create trigger ${tr.name} ${tr.timing} ${tr.op} on submission for each row
					 ${tr.when ? `when (${changed(tr.when, true)})` : ''} execute function ${tr.name}()`
				)
				.execute(db);
		} else {
			const conditions = [
				...(tr.op === 'insert' ? [WRITER_GUARD] : []),
				...(tr.when ? [`(${changed(tr.when, false)})`] : [])
			];
			await sql
				.raw(
					`create trigger ${tr.name} ${tr.timing} ${tr.op} on submission
					 ${conditions.length ? `when ${conditions.join(' and ')}` : ''}
					 begin ${body} end`
				)
				.execute(db);
		}
	}
}

export async function down(db: Kysely<any>): Promise<void> {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	for (const tr of TRIGGERS) {
		await sql.raw(`drop trigger if exists ${tr.name}${pg ? ' on submission' : ''}`).execute(db);
		if (pg) await sql.raw(`drop function if exists ${tr.name}()`).execute(db);
	}
	await db.schema.dropTable(EQUALITY_MARGIN_TABLE).ifExists().execute();
}
