// The key statements that read `answer` by question (and `submission` by collection session) each keep an index search, on both engines: the indexes a
// submission writes were cut to the fewest (issue #18; migrations 2026-12-07-0400, 2026-12-12-0400, 2026-12-12-0700),
// and an index dropped that one of these statements needs must show here as a scan of `answer` or
// another index's plan, not only as a slower page. Each statement is the shape the app's code builds (the file
// named beside it); each expectation is the index that serves it and the reason.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { givePlanShape, planOf } from './helpers/query-plan';

interface KeyStatement {
	/** What it is and where the app builds it. */
	name: string;
	sql: string;
	/** The index (answer's) that serves it, on both engines or on each. */
	index: string | { sqlite: string; postgres: string };
	/** PostgreSQL: read from that index alone (an Index Only Scan; givePlanShape vacuums the table first). */
	pgIndexOnly?: boolean;
	/** SQLite: read from that index alone (no row of answer). */
	covering?: boolean;
	/** SQLite: no sort of its own (the index gives the order). */
	ordered?: boolean;
}

const KEY: KeyStatement[] = [
	{
		name: 'when a question was last coded (sample-check/method.ts, lastCoded)',
		sql: `select max(coded_at) as at from answer where question_id = 7 and coded_at is not null`,
		index: 'answer_coded_at',
		covering: true
	},
	{
		name: 'when a question was last reviewed (sample-check/method.ts, lastCoded)',
		sql: `select max(reviewed_at) as at from answer where question_id = 7 and reviewed_at is not null`,
		index: 'answer_reviewed_at',
		covering: true
	},
	{
		name: "the coder's count of a question's uncoded answers (coding/recode.ts, codeInBatches)",
		sql: `select count(*) as n from answer where question_id = 7 and coded_at is null and text is not null`,
		index: 'answer_uncoded'
	},
	{
		name: "the coder's next chunk of uncoded answers (coding/recode.ts, codeInBatches)",
		sql: `select id, text from answer where question_id = 7 and text is not null and id > 100 and coded_at is null
			order by id limit 50`,
		index: 'answer_uncoded',
		ordered: true
	},
	{
		name: "a recode's next chunk in id order (coding/recode.ts, codeInBatches)",
		sql: `select id, text from answer where question_id = 7 and text is not null and id > 100 order by id limit 50`,
		index: 'answer_question_id',
		ordered: true
	},
	{
		// PostgreSQL: answer_question (question_id, perspective_id) INCLUDE (submission_id) since 2026-12-12-0800, which
		// took answer_question_submission's place there; SQLite keeps answer_question_submission (also its way to the
		// foreign key answer.submission_id).
		name: 'the submissions that answered question N (analysis/scope.ts, the question filter)',
		sql: `select s.id from submission s where s.consultation_id = 1
			and s.id in (select qa.submission_id from answer qa where qa.question_id = 7)`,
		index: { sqlite: 'answer_question_submission', postgres: 'answer_question' },
		covering: true,
		pgIndexOnly: true
	},
	{
		name: 'the perspectives that answered question N (analysis/scope.ts, the question filter)',
		sql: `select p.id from perspective p where p.group_code = 'child'
			and p.id in (select qa.perspective_id from answer qa where qa.question_id = 7)`,
		index: 'answer_question',
		covering: true,
		pgIndexOnly: true
	},
	{
		name: "a question's answers of one respondent type (analysis/queries.ts, counts by question and group)",
		sql: `select answer.question_id as q, count(*) as n from answer join perspective on perspective.id = answer.perspective_id
			where answer.question_id = 7 and perspective.group_code = 'child' group by answer.question_id`,
		index: { sqlite: 'answer_question|sqlite_autoindex_answer_1', postgres: 'answer_question|answer_unique' }
	},
	{
		name: "a collection session's submissions (entry/entries.ts; the session's delete sets them null)",
		sql: `select id from submission where collection_session_id = 3`,
		index: 'submission_session'
	},
	{
		name: "a question's answers of one day, oldest first (the reading aggregates' oldest unread)",
		sql: `select min(created_at) as at from answer where question_id = 7
			and created_at >= '2026-12-01' and created_at < '2026-12-02'`,
		index: 'answer_question_created',
		covering: true
	}
];

describeEachEngine('the key statements on answer keep their indexes', (engine) => {
	let db: FreshDb;
	beforeAll(async () => {
		db = await preparedDatabase(engine);
		await givePlanShape(db, engine);
	}, 120_000);
	afterAll(async () => db?.drop());

	// A new answer has no coded_at and an online submission no collection session: the partial indexes take no entry
	// for them, so a grouped commit writes no leaf at the end of their NULL runs (issue #18; 2026-12-12-0700).
	it('answer_coded_at and submission_session hold only rows with a value (partial)', async () => {
		const partial = async (name: string) =>
			engine === 'postgres'
				? (
						await sql<{ pred: string | null }>`select pg_get_expr(i.indpred, i.indrelid) as pred from pg_index i
							join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace
							where n.nspname = current_schema() and c.relname = ${name}`.execute(db.db)
					).rows[0]?.pred
				: (
						await sql<{ sql: string }>`select sql from sqlite_master where type = 'index' and name = ${name}`.execute(
							db.db
						)
					).rows[0]?.sql;
		expect(await partial('answer_coded_at')).toMatch(/coded_at IS NOT NULL/i);
		expect(await partial('submission_session')).toMatch(/collection_session_id IS NOT NULL/i);
	});

	for (const k of KEY) {
		it(k.name, async () => {
			const plan = await planOf(db, engine, k.sql);
			const index = typeof k.index === 'string' ? k.index : k.index[engine];
			if (engine === 'postgres') {
				const scan = k.pgIndexOnly ? 'Index Only' : '(Index|Index Only|Bitmap Index)';
				expect(plan).toMatch(new RegExp(`${scan} Scan (Backward )?(using|on) (${index})\\b`));
				expect(plan).not.toMatch(/Seq Scan on answer\b/);
			} else {
				const alias = /\bfrom answer qa\b/.test(k.sql)
					? 'qa'
					: /\bfrom submission\b/.test(k.sql)
						? 'submission'
						: 'answer';
				const using = k.covering ? 'USING COVERING INDEX' : 'USING (COVERING )?INDEX';
				const column = alias === 'submission' ? 'collection_session_id' : '(question_id|perspective_id)';
				expect(plan).toMatch(new RegExp(`SEARCH ${alias} ${using} (${index}) \\(${column}=\\?`));
				expect(plan).not.toMatch(new RegExp(`\\bSCAN ${alias}\\b`));
				if (k.ordered) expect(plan).not.toMatch(/USE TEMP B-TREE FOR ORDER BY/);
			}
		});
	}
});
