import { PostgresAdapter, sql, type Kysely } from 'kysely';
import {
	QUOTE_ORDER_INDEX,
	QUOTE_ORDER_KEY,
	QUOTE_ORDER_TABLE,
	REBUILD_QUOTE_ORDER,
	quoteOrderRows
} from './lib/quote-order-sql';

// Frozen: never import application code here; a later change gets a new migration. The SQL fragments come
// from lib/quote-order-sql.ts (frozen with this migration), which the rebuilds import too.

/**
 * Quotes of one respondent type (issue #19). A theme's candidates are read in the quote order (most confident
 * first, then by answer) and stop at 400; for one group, each coding read had to be looked up for its answer's
 * perspective to learn its group (at 1,000,001 answers on PostgreSQL ~2,000 codings and ~6,000 random page reads
 * a theme to find 400 children's, ~0.4–0.7 s of database CPU a page). This table keeps, beside each coding that
 * applies, its answer's respondent type ('' not known), with the order as an index per theme × group, so a group's
 * walk reads its own 400 rows.
 *
 * Kept by triggers on every write that changes it: codings (PostgreSQL: statement triggers with transition tables,
 * as the other answer_theme aggregates; SQLite: row triggers), an answer moved to another perspective, a
 * perspective's respondent type changed. Deletes of answers, perspectives, submissions and themes cascade to the
 * codings, whose delete triggers remove the rows. Not guarded by the coding bypass (2026-12-03-0200): a coding
 * write keeps this table through its triggers.
 */

interface Trig {
	name: string;
	table: 'answer_theme' | 'answer' | 'perspective';
	op: 'insert' | 'update' | 'delete';
	/** A condition on old / new (row triggers), the same in both dialects once `is not` / `is distinct from` is set. */
	when?: (pg: boolean) => string;
	/** PostgreSQL: a statement trigger with transition tables `ot` / `nt`. */
	statement?: { old?: boolean; new?: boolean };
	body: (pg: boolean) => string[];
}

const T = QUOTE_ORDER_TABLE;
const differs = (pg: boolean, cols: string[]) =>
	cols.map((c) => `old.${c} ${pg ? 'is distinct from' : 'is not'} new.${c}`).join(' or ');
/** A coding row of `a` with the same key and the same kept values in `b` (an update that changed nothing kept). */
const same = (a: string, b: string) =>
	`exists (select 1 from ${b} y where y.answer_id = ${a}.answer_id and y.theme_id = ${a}.theme_id
	 and y.applies = ${a}.applies and y.confidence is not distinct from ${a}.confidence and y.source = ${a}.source)`;
/** One coding row (`new`) on SQLite: its answer's respondent type looked up. */
const sqliteRow = `insert into ${T} (answer_id, theme_id, group_code, conf, confidence, source)
	 select new.answer_id, new.theme_id, coalesce(p.group_code, ''), coalesce(new.confidence, 1), new.confidence, new.source
	 from answer a join perspective p on p.id = a.perspective_id where a.id = new.answer_id`;

const PG_CODING: Trig[] = [
	{ name: 'agg_qo_coding_insert', table: 'answer_theme', op: 'insert', statement: { new: true }, body: () => [quoteOrderRows('nt')] },
	{
		name: 'agg_qo_coding_delete',
		table: 'answer_theme',
		op: 'delete',
		statement: { old: true },
		body: () => [`delete from ${T} k using ot where k.answer_id = ot.answer_id and k.theme_id = ot.theme_id`]
	},
	{
		name: 'agg_qo_coding_update',
		table: 'answer_theme',
		op: 'update',
		statement: { old: true, new: true },
		body: () => [
			`delete from ${T} k using ot where k.answer_id = ot.answer_id and k.theme_id = ot.theme_id and not ${same('ot', 'nt')}`,
			quoteOrderRows('nt', `not ${same('x', 'ot')}`)
		]
	}
];
const SQLITE_CODING: Trig[] = [
	{ name: 'agg_qo_coding_insert', table: 'answer_theme', op: 'insert', when: () => 'new.applies = 1', body: () => [sqliteRow] },
	{
		name: 'agg_qo_coding_delete',
		table: 'answer_theme',
		op: 'delete',
		body: () => [`delete from ${T} where answer_id = old.answer_id and theme_id = old.theme_id`]
	},
	{
		name: 'agg_qo_coding_update',
		table: 'answer_theme',
		op: 'update',
		when: (pg) => differs(pg, ['answer_id', 'theme_id', 'applies', 'confidence', 'source']),
		body: () => [
			`delete from ${T} where answer_id = old.answer_id and theme_id = old.theme_id`,
			`${sqliteRow} and new.applies = 1`
		]
	}
];
const MOVES: Trig[] = [
	{
		name: 'agg_qo_answer_update',
		table: 'answer',
		op: 'update',
		when: (pg) => differs(pg, ['perspective_id']),
		body: () => [
			`update ${T} set group_code = coalesce((select p.group_code from perspective p where p.id = new.perspective_id), '')
			 where answer_id = new.id`
		]
	},
	{
		name: 'agg_qo_perspective_update',
		table: 'perspective',
		op: 'update',
		when: (pg) => differs(pg, ['group_code']),
		body: () => [
			`update ${T} set group_code = coalesce(new.group_code, '')
			 where answer_id in (select a.id from answer a where a.perspective_id = new.id)`
		]
	}
];

const triggers = (pg: boolean) => [...(pg ? PG_CODING : SQLITE_CODING), ...MOVES];

export async function up(db: Kysely<any>): Promise<void> {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	await db.schema
		.createTable(T)
		.addColumn('answer_id', 'integer', (c) => c.notNull())
		.addColumn('theme_id', 'integer', (c) => c.notNull())
		.addColumn('group_code', 'text', (c) => c.notNull())
		// coalesce(confidence, 1): the order's key, as answer_theme_quote_order's expression.
		.addColumn('conf', 'real', (c) => c.notNull())
		.addColumn('confidence', 'real')
		.addColumn('source', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint(`${T}_pk`, [...QUOTE_ORDER_KEY] as never)
		.execute();
	for (const s of REBUILD_QUOTE_ORDER) await sql.raw(s).execute(db);
	// PostgreSQL: the two columns the candidates select ride in the index, so a group's walk reads no table page.
	await sql
		.raw(
			`create index ${QUOTE_ORDER_INDEX} on ${T} (theme_id, group_code, conf desc, answer_id)${pg ? ' include (confidence, source)' : ''}`
		)
		.execute(db);
	for (const t of triggers(pg)) {
		const body = t.body(pg).map((s) => `${s};`).join('\n');
		if (pg) {
			await sql
				.raw(`create function ${t.name}() returns trigger language plpgsql as $$ begin ${body} return null; end $$`)
				.execute(db);
			await sql
				.raw(
					`create trigger ${t.name} after ${t.op} on ${t.table} ${
						t.statement
							? `referencing ${t.statement.old ? 'old table as ot' : ''} ${t.statement.new ? 'new table as nt' : ''} for each statement`
							: `for each row ${t.when ? `when (${t.when(true)})` : ''}`
					} execute function ${t.name}()`
				)
				.execute(db);
		} else {
			await sql
				.raw(`create trigger ${t.name} after ${t.op} on ${t.table} ${t.when ? `when ${t.when(false)}` : ''} begin ${body} end`)
				.execute(db);
		}
	}
	if (pg) await sql.raw(`analyze ${T}`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	for (const t of triggers(pg)) {
		await sql.raw(`drop trigger if exists ${t.name}${pg ? ` on ${t.table}` : ''}`).execute(db);
		if (pg) await sql.raw(`drop function if exists ${t.name}()`).execute(db);
	}
	await db.schema.dropTable(T).ifExists().execute();
}
