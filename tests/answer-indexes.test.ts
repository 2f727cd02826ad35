// Every index on the tables a survey submission writes (submission, perspective, answer) is written on each
// submission, and each one keyed by the submission's UUID lands on a random page of its index, so the submission
// path's SQLite cost grows with their number (issue #18: ~15 log pages per submission). This pins the list: each
// plain (not unique) index has a line saying which statements need it, and a new index, or one dropped, must
// change that list on purpose. The unique ones enforce a rule and are not listed.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';

/** Table -> index -> the statements that need it (found by EXPLAIN QUERY PLAN against a million answers). */
const NEEDED: Record<string, Record<string, string>> = {
	submission: {
		submission_consultation_created: "a consultation's submissions by date (retention, entry lists, exports)",
		submission_session: 'a collection session’s submissions; its delete sets them null',
		submission_consultation_id:
			'the filtered analysis: "submissions of this consultation matching the filters", covering'
	},
	perspective: {
		perspective_group: 'the group filter: "submissions with a perspective of group G", covering'
		// A submission's perspectives (respondent types): perspective_unique (submission_id, position) plus the row;
		// perspective_submission_group dropped by 2026-12-12-0300 (one log page a submission, issue #18).
	},
	answer: {
		answer_question: 'perspectives that answered question N, covering (question filter of the analysis)',
		answer_submission: "a submission's answers: the question-set triggers, deleting a submission",
		answer_question_submission: 'submissions that answered question N, covering (question filter of the analysis)',
		answer_question_id: "a question's answers in id order (coding, keyset pages, exports)",
		answer_uncoded: "a question's answers not yet coded (the coder's queue), partial",
		answer_coded_at: 'when a question was last coded (max(coded_at)), covering',
		answer_reviewed_at: 'reviewed answers: agreement, review counts, the overview, partial',
		answer_question_created: "a question's answers by date (reading aggregates, oldest unread)"
	}
};

async function plainIndexes(db: FreshDb, engine: 'sqlite' | 'postgres', table: string): Promise<string[]> {
	if (engine === 'postgres') {
		const { rows } = await sql<{ name: string }>`
			select c.relname as name from pg_index i join pg_class c on c.oid = i.indexrelid
			join pg_class t on t.oid = i.indrelid join pg_namespace n on n.oid = t.relnamespace
			where n.nspname = current_schema() and t.relname = ${table} and not i.indisunique`.execute(db.db);
		return rows.map((r) => r.name).sort();
	}
	const { rows } = await sql<{ name: string }>`
		select name from pragma_index_list(${table}) where "unique" = 0`.execute(db.db);
	return rows.map((r) => r.name).sort();
}

describeEachEngine('indexes on the tables a submission writes', (engine) => {
	let db: FreshDb;
	beforeAll(async () => {
		db = await preparedDatabase(engine);
	});
	afterAll(async () => db?.drop());

	for (const table of Object.keys(NEEDED)) {
		it(`${table}: each plain index is one the app's statements need`, async () => {
			expect(await plainIndexes(db, engine, table)).toEqual(Object.keys(NEEDED[table]).sort());
		});
	}

	// The readers of a submission's perspectives by submission_id (the group-set triggers, the respondent types of
	// the filtered analysis, the submission delete/update triggers) keep an index search through the perspective's
	// unique key (submission_id, position), not a scan, now that perspective_submission_group is gone.
	it("a submission's perspectives are read through perspective_unique", async () => {
		const statement = `select distinct coalesce(gp.group_code, '') as g from perspective gp where gp.submission_id = 'x'`;
		let plan: string;
		if (engine === 'postgres') {
			// The test database is tiny: ask whether an index can serve it, not whether the planner prefers it.
			plan = await db.db.connection().execute(async (c) => {
				await sql`set enable_seqscan = off`.execute(c);
				try {
					const { rows } = await sql<{ 'QUERY PLAN': string }>`explain ${sql.raw(statement)}`.execute(c);
					return rows.map((r) => r['QUERY PLAN']).join('\n');
				} finally {
					await sql`reset enable_seqscan`.execute(c);
				}
			});
			expect(plan).toMatch(/(Bitmap Index|Index|Index Only) Scan (using|on) perspective_unique\b/);
		} else {
			const { rows } = await sql<{ detail: string }>`explain query plan ${sql.raw(statement)}`.execute(db.db);
			plan = rows.map((r) => r.detail).join('\n');
			expect(plan).toMatch(/SEARCH gp USING INDEX sqlite_autoindex_perspective_\d+ \(submission_id=\?\)/);
		}
		expect(plan).not.toMatch(/perspective_submission_group/);
	});
});
