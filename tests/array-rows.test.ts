/**
 * A read's rows as arrays (src/lib/server/db/array-rows.ts, issue #19, code28): on SQLite the statement cache
 * prepares the marked statement in better-sqlite3's raw mode; on PostgreSQL (and with SQLITE_ARRAY_ROWS=off) the
 * rows' values are taken in the select's order. Either way the same values, in the same order, as the query's own
 * rows give; the same SQL unmarked still gives objects (the cache keeps the two statements apart); inside a
 * transaction the read sees the transaction's own writes (it goes through Kysely's connection).
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { CompiledQuery, sql } from 'kysely';
import { describeEachEngine, emptyDatabase, type FreshDb } from './helpers/databases';
import { ARRAY_ROWS_MARK, arrayRows } from '../src/lib/server/db/array-rows';
import type { Db } from '../src/lib/server/db/connect';

describeEachEngine('rows as arrays', (engine) => {
	let fresh: FreshDb;
	let db: Db;
	beforeAll(async () => {
		fresh = await emptyDatabase(engine);
		db = fresh.db;
		await sql`create table t (id integer primary key, k text, v integer, d text)`.execute(db);
		await sql`insert into t (id, k, v, d) values (1, 'a', 3, null), (2, 'b', 1234567, ''), (3, 'a', 0, '1')`.execute(
			db
		);
	});
	afterEach(() => {
		delete process.env.SQLITE_ARRAY_ROWS;
	});
	afterAll(() => fresh?.drop());

	// Untyped: the table is this test's own.
	const t = () => (db as unknown as Db).selectFrom('t' as never);
	const grouped = () =>
		t()
			.select([sql`k`.as('k'), sql`d`.as('d'), sql<number>`sum(v)`.as('n'), sql`max(id)`.as('last')])
			.groupBy([sql`k`, sql`d`])
			.orderBy(sql`k`)
			.orderBy(sql`max(id)`);

	it('gives the query rows’ values in the select’s order', async () => {
		const objects = (await grouped().execute()) as Record<string, unknown>[];
		expect(objects.length).toBe(3);
		const arrays = await arrayRows(db, grouped());
		expect(arrays.every((r) => Array.isArray(r))).toBe(true);
		expect(arrays).toEqual(objects.map((o) => [o.k, o.d, o.n, o.last]));
		expect(arrays).toEqual([
			['a', null, 3, 1],
			['a', '1', 0, 3],
			['b', '', 1234567, 2]
		]);
		// On SQLite the marked statement itself gives arrays (better-sqlite3's raw mode), no object per row made.
		const c = grouped().compile();
		const marked = await db.executeQuery(CompiledQuery.raw(ARRAY_ROWS_MARK + c.sql, [...c.parameters]));
		expect(marked.rows.every((r) => Array.isArray(r))).toBe(engine === 'sqlite');
		// The same SQL unmarked, after the marked one: objects still (the cache keeps the two apart).
		expect(await grouped().execute()).toEqual(objects);
		process.env.SQLITE_ARRAY_ROWS = 'off';
		expect(await arrayRows(db, grouped())).toEqual(arrays);
	});

	it('gives no rows as no rows', async () => {
		expect(
			await arrayRows(
				db,
				t()
					.select(sql`id`.as('id'))
					.where(sql<boolean>`id < 0`)
			)
		).toEqual([]);
	});

	it('reads inside a transaction through its connection', async () => {
		await db
			.transaction()
			.execute(async (tx) => {
				await sql`insert into t (id, k, v, d) values (4, 'c', 7, 'x')`.execute(tx);
				const rows = await arrayRows(
					tx as unknown as Db,
					(tx as unknown as Db)
						.selectFrom('t' as never)
						.select([sql`id`.as('id'), sql`k`.as('k')])
						.where(sql<boolean>`id = 4`)
				);
				expect(rows).toEqual([[4, 'c']]);
				throw new Error('roll back');
			})
			.catch((e: Error) => expect(e.message).toBe('roll back'));
		expect(
			await arrayRows(
				db,
				t()
					.select(sql`id`.as('id'))
					.where(sql<boolean>`id = 4`)
			)
		).toEqual([]);
	});
});
