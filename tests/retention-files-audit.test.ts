/**
 * PostgreSQL keeps the bytes of deleted row versions in the table's data files after a plain VACUUM (it marks the
 * space free; the bytes stay until a later row is written over them). After a purge the touched tables are
 * rewritten with VACUUM FULL (a new file, holding only live rows), under a short lock_timeout: a table another
 * transaction holds is left pending in reclaim_pending and retried by the hourly job until it succeeds. Read the
 * tables' files themselves (pg_relation_filepath + pg_read_binary_file, after a CHECKPOINT): a superuser's tools,
 * so the test is skipped, saying why, when the test role is not one.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import pg from 'pg';
import { preparedDatabase, TEST_DATABASE_URL, type FreshDb } from './helpers/databases';
import { getConsultation } from '../src/lib/server/consultations/queries';
import { saveSubmission } from '../src/lib/server/submissions/save';
import { submissionSchema } from '../src/lib/schemas/submission';
import { applyRetention, deleteByReference } from '../src/lib/server/retention/retention';
import { purgeExpired } from '../src/lib/server/jobs/index';
import { SLUG } from './helpers/consultation';

async function isSuperuser(): Promise<boolean> {
	if (!TEST_DATABASE_URL) return false;
	const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
	await c.connect();
	try {
		return (await c.query(`select current_setting('is_superuser') as s`)).rows[0].s === 'on';
	} finally {
		await c.end();
	}
}

const superuser = await isSuperuser().catch(() => false);
if (TEST_DATABASE_URL && !superuser)
	console.warn(
		'retention-files-audit: skipped, the TEST_DATABASE_URL role is not a superuser (pg_read_binary_file and CHECKPOINT need one)'
	);

describe.skipIf(!superuser)('retention audit: the table files themselves [postgres, superuser]', () => {
	let fresh: FreshDb;
	beforeAll(async () => {
		fresh = await preparedDatabase('postgres');
	});
	afterAll(() => fresh?.drop());

	/** Tables (heap, TOAST or index file) whose data file on disk holds the word. */
	async function filesHolding(word: string): Promise<string[]> {
		await sql`checkpoint`.execute(fresh.db);
		const r = await sql<{ relname: string }>`
			select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
			where (n.nspname = 'public' or n.nspname = 'pg_toast') and c.relkind in ('r', 't', 'i')
			and pg_relation_filepath(c.oid) is not null and pg_relation_size(c.oid) > 0
			and position(convert_to(${word}, 'UTF8') in pg_read_binary_file(pg_relation_filepath(c.oid))) > 0
			order by 1`.execute(fresh.db);
		return r.rows.map((x) => x.relname);
	}

	async function submit(text: string) {
		const c = (await getConsultation(fresh.db, SLUG))!;
		return saveSubmission(
			fresh.db,
			c,
			submissionSchema.parse({
				id: randomUUID(),
				perspectives: [{ group: 'child', answers: { q1: text } }],
				about: { gender: 'self-describe', genderSelfDescribe: text }
			}),
			{ channel: 'online' }
		);
	}

	it('after deletion on request and the hourly job, the words are in no table file', async () => {
		const word = 'Fennimorrow';
		const ref = (await submit(`My name is ${word} and my dad hits me`)).reference;
		await submit('More buses at night');
		expect(await filesHolding(word)).toEqual(expect.arrayContaining(['answer', 'submission']));
		expect(await deleteByReference(fresh.db, ref)).not.toBeNull();
		await purgeExpired(fresh.db);
		expect(await filesHolding(word)).toEqual([]);
		// The search does find live words in the files.
		expect(await filesHolding('More buses at night')).toContain('answer');
	});

	it('a table another transaction holds is rewritten by the hourly job once it is free', async () => {
		const word = 'Wrenlowmere';
		const ref = (await submit(`${word} is where I live`)).reference;
		expect(await filesHolding(word)).toContain('answer');
		const other = new pg.Client({ connectionString: fresh.url.replace(/^postgres(ql)?:/, 'postgres:') });
		await other.connect();
		try {
			await other.query('begin');
			await other.query('select count(*) from answer');
			expect(await deleteByReference(fresh.db, ref)).not.toBeNull();
			await purgeExpired(fresh.db);
			const pending = await sql<{ table_name: string }>`select table_name from reclaim_pending`.execute(fresh.db);
			expect(pending.rows.map((r) => r.table_name)).toContain('answer');
			expect(await filesHolding(word)).toContain('answer');
		} finally {
			await other.query('rollback');
			await other.end();
		}
		await purgeExpired(fresh.db);
		expect((await sql`select table_name from reclaim_pending`.execute(fresh.db)).rows).toEqual([]);
		expect(await filesHolding(word)).toEqual([]);
	});

	it('after retention, the words are in no table file', async () => {
		const word = 'Ashgrovelle';
		await submit(`${word} told me a secret`);
		expect(await filesHolding(word)).toContain('answer');
		await applyRetention(fresh.db, { now: new Date('2028-01-01T12:00:00Z') });
		expect(await filesHolding(word)).toEqual([]);
	});
});
