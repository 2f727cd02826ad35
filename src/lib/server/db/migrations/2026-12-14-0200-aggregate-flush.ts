import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen: never import application code here; a later change gets a new migration.

/**
 * PostgreSQL: a background writer's aggregate changes applied in the COMMIT itself (issue #18: a survey submission's
 * p99 while another instance recodes a question). A coding chunk worked out its net change of the shared aggregate
 * rows (analysis_agg_theme, _answer, _coding, _theme_day, _answer_day) and wrote it, with a data-version bump, in its
 * write statement; those rows (and data_version's one row) then stayed locked across the app's round trips (the
 * recode's progress row, the COMMIT) while every submission of the consultation that counts into them, and every
 * submission's COMMIT (its deferred data-version bump, migration 2026-11-30-0240), queued behind it.
 *
 * Here a writer instead:
 * - inserts its transaction's row into `aggregate_flush` (once: `on conflict do nothing`) before it writes anything,
 *   which queues this deferred constraint trigger ahead of the data-version events its writes queue;
 * - appends its net change to the transaction-local setting FLUSH_SETTING (a JSON array of chunk deltas, each
 *   `{theme, answer, coding, themeDay, answerDay, language, reading}`: arrays of key columns and the counts, see
 *   apply below; language and reading are an import's, migration 2026-12-14-0210).
 * At COMMIT the trigger sums the deltas by key and applies each table's in one upsert, in key order (so two
 * flushes take the rows in the same order; the tables the survey writer's COMMIT-time fold also adds to, migration
 * 2026-12-14-0300, in its order, by table name: answer, answer_day, coding, language, reading, so a flush and a fold
 * never take each other's rows the other way round), then bumps the data version (the order a submission takes them in: its
 * aggregate rows in its statements, data_version at its commit), and deletes the row. Between the first of those
 * row locks and the end of the COMMIT there is no round trip to the app.
 *
 * SQLite: nothing (one writer at a time; its coders keep their deferred counts, coding/store-sqlite.ts).
 */
export const FLUSH_TABLE = 'aggregate_flush';
export const FLUSH_SETTING = 'consult.aggregate_flush';

export async function up(db: Kysely<any>): Promise<void> {
	if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
	// Unlogged: a row lives only inside its transaction (the trigger deletes it at COMMIT).
	await sql.raw(`create unlogged table ${FLUSH_TABLE} (txid bigint primary key)`).execute(db);
	// The deltas' rows: `jsonb_array_elements(d) c, jsonb_array_elements(c -> 'name') r`, columns by position.
	const rows = (name: string) =>
		`from jsonb_array_elements(d) c, jsonb_array_elements(coalesce(c -> '${name}', '[]'::jsonb)) r`;
	await sql
		.raw(
			`create function apply_aggregate_flush() returns trigger language plpgsql as $$
			declare d jsonb;
			begin
				d := nullif(current_setting('${FLUSH_SETTING}', true), '')::jsonb;
				perform set_config('${FLUSH_SETTING}', '', true);
				delete from ${FLUSH_TABLE} where txid = new.txid;
				if d is not null then
					insert into analysis_agg_theme (theme_id, group_code, district_code, channel, n)
					select (r->>0)::integer, r->>1, r->>2, r->>3, sum((r->>4)::integer) ${rows('theme')}
					group by 1, 2, 3, 4 having sum((r->>4)::integer) <> 0 order by 1, 2, 3, 4
					on conflict (theme_id, group_code, district_code, channel) do update set n = analysis_agg_theme.n + excluded.n;
					insert into analysis_agg_answer (question_id, group_code, district_code, channel, n, coded)
					select (r->>0)::integer, r->>1, r->>2, r->>3, 0, sum((r->>4)::integer) ${rows('answer')}
					group by 1, 2, 3, 4 having sum((r->>4)::integer) <> 0 order by 1, 2, 3, 4
					on conflict (question_id, group_code, district_code, channel)
					do update set coded = analysis_agg_answer.coded + excluded.coded;
					insert into analysis_agg_answer_day (question_id, group_code, district_code, channel, day, n, coded)
					select (r->>0)::integer, r->>1, r->>2, r->>3, r->>4, 0, sum((r->>5)::integer) ${rows('answerDay')}
					group by 1, 2, 3, 4, 5 having sum((r->>5)::integer) <> 0 order by 1, 2, 3, 4, 5
					on conflict (question_id, group_code, district_code, channel, day)
					do update set coded = analysis_agg_answer_day.coded + excluded.coded;
					insert into analysis_agg_coding (question_id, wording_version, is_reviewed, is_coded, has_human, n)
					select (r->>0)::integer, (r->>1)::integer, (r->>2)::integer, (r->>3)::integer, (r->>4)::integer,
						sum((r->>5)::integer) ${rows('coding')}
					group by 1, 2, 3, 4, 5 having sum((r->>5)::integer) <> 0 order by 1, 2, 3, 4, 5
					on conflict (question_id, wording_version, is_reviewed, is_coded, has_human)
					do update set n = analysis_agg_coding.n + excluded.n;
					insert into analysis_agg_language (question_id, language, is_reviewed, n)
					select (r->>0)::integer, r->>1, (r->>2)::integer, sum((r->>3)::integer) ${rows('language')}
					group by 1, 2, 3 having sum((r->>3)::integer) <> 0 order by 1, 2, 3
					on conflict (question_id, language, is_reviewed) do update set n = analysis_agg_language.n + excluded.n;
					insert into analysis_agg_reading (question_id, day, n, n_read)
					select (r->>0)::integer, r->>1, sum((r->>2)::integer), sum((r->>3)::integer) ${rows('reading')}
					group by 1, 2 having sum((r->>2)::integer) <> 0 or sum((r->>3)::integer) <> 0 order by 1, 2
					on conflict (question_id, day)
					do update set n = analysis_agg_reading.n + excluded.n, n_read = analysis_agg_reading.n_read + excluded.n_read;
					insert into analysis_agg_theme_day (theme_id, group_code, district_code, channel, day, n)
					select (r->>0)::integer, r->>1, r->>2, r->>3, r->>4, sum((r->>5)::integer) ${rows('themeDay')}
					group by 1, 2, 3, 4, 5 having sum((r->>5)::integer) <> 0 order by 1, 2, 3, 4, 5
					on conflict (theme_id, group_code, district_code, channel, day)
					do update set n = analysis_agg_theme_day.n + excluded.n;
				end if;
				-- The data version last, once per transaction (the guard bump_data_version reads).
				if current_setting('app.data_version_bumped', true) is distinct from txid_current()::text then
					perform set_config('app.data_version_bumped', txid_current()::text, true);
					update data_version set version = version + 1 where id = 1;
				end if;
				return null;
			end
			$$`
		)
		.execute(db);
	await sql
		.raw(
			`create constraint trigger aggregate_flush_apply after insert on ${FLUSH_TABLE}
			 deferrable initially deferred for each row execute function apply_aggregate_flush()`
		)
		.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
	await sql.raw(`drop table if exists ${FLUSH_TABLE}`).execute(db);
	await sql.raw(`drop function if exists apply_aggregate_flush()`).execute(db);
}
