import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen: never import application code here; a later change gets a new migration.

/**
 * One installation-wide data version, bumped by database triggers in the same
 * transaction as any write to a table the analysis pages read. The analysis cache
 * keys its entries by this number (one primary-key read) instead of summing tables,
 * and every app instance sees the same number because it lives in the database.
 *
 * Triggers rather than calls in application code, so a write path added later
 * (or a hand-run SQL fix) cannot forget to bump it.
 *
 * SQLite: a row trigger per insert/update/delete (there is one writer at a time,
 * and the row's page is already dirty after the first bump, so each costs little).
 * PostgreSQL: a deferred constraint trigger that bumps once per transaction, at
 * commit: the counter row is then locked only for the moment of the commit, so a
 * long import does not hold it while submissions from other instances wait. The
 * once-per-transaction guard is a transaction-local setting (set_config(..., true)),
 * which is safe behind PgBouncer in transaction mode.
 */
export const WATCHED_TABLES = [
	'consultation',
	'respondent_group',
	'district',
	'question',
	'location',
	'collection_session',
	'submission',
	'perspective',
	'answer',
	'theme',
	'answer_theme',
	'theme_candidate',
	'quote',
	'safeguarding_flag',
	'sample_check',
	'sample_check_item'
] as const;

export async function up(db: Kysely<any>): Promise<void> {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	await db.schema
		.createTable('data_version')
		.addColumn('id', 'integer', (c) => c.primaryKey())
		.addColumn('version', 'bigint', (c) => c.notNull())
		.execute();
	await db.insertInto('data_version').values({ id: 1, version: 1 }).execute();
	if (pg) {
		await sql`
			create function bump_data_version() returns trigger language plpgsql as $$
			begin
				if current_setting('app.data_version_bumped', true) is distinct from txid_current()::text then
					perform set_config('app.data_version_bumped', txid_current()::text, true);
					update data_version set version = version + 1 where id = 1;
				end if;
				return null;
			end
			$$`.execute(db);
		for (const t of WATCHED_TABLES) {
			await sql
				.raw(
					`create constraint trigger ${t}_data_version after insert or update or delete on ${t}
					 deferrable initially deferred for each row execute function bump_data_version()`
				)
				.execute(db);
		}
	} else {
		for (const t of WATCHED_TABLES) {
			for (const op of ['insert', 'update', 'delete']) {
				await sql
					.raw(
						`create trigger ${t}_data_version_${op} after ${op} on ${t}
						 begin update data_version set version = version + 1 where id = 1; end`
					)
					.execute(db);
			}
		}
	}
}

export async function down(db: Kysely<any>): Promise<void> {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	for (const t of WATCHED_TABLES) {
		if (pg) await sql.raw(`drop trigger if exists ${t}_data_version on ${t}`).execute(db);
		else for (const op of ['insert', 'update', 'delete']) await sql.raw(`drop trigger if exists ${t}_data_version_${op}`).execute(db);
	}
	if (pg) await sql`drop function if exists bump_data_version()`.execute(db);
	await db.schema.dropTable('data_version').ifExists().execute();
}
