// Every index on the tables a survey submission writes (submission, perspective, answer) is written on each
// submission, and each one keyed by the submission's UUID lands on a random page of its index, so the submission
// path's SQLite cost grows with their number (issue #18: ~15 log pages per submission). This pins the list: each
// plain (not unique) index has a line saying which statements need it, and a new index, or one dropped, must
// change that list on purpose. The unique ones enforce a rule and are not listed.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { planOf } from './helpers/query-plan';

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
		answer_question:
			'perspectives that answered question N, covering (question filter of the analysis); on PostgreSQL INCLUDE (submission_id), the submissions too (2026-12-12-0800)',
		// A submission's answers: through its perspectives (perspective_unique, then answer_unique); answer_submission
		// dropped on SQLite by 2026-12-12-0400 (1.4 log pages a submission, issue #18). PostgreSQL keeps it (ONLY_PG).
		answer_question_id: "a question's answers in id order (coding, keyset pages, exports)",
		answer_uncoded: "a question's answers not yet coded (the coder's queue), partial",
		answer_coded_at: 'when a question was last coded (max(coded_at)), covering',
		answer_reviewed_at: 'reviewed answers: agreement, review counts, the overview, partial',
		answer_question_created: "a question's answers by date (reading aggregates, oldest unread)"
	}
};

/** Kept on PostgreSQL only: the foreign key answer.submission_id's cascade looks answers up by it (no skip scan). */
const ONLY_PG: Record<string, Record<string, string>> = {
	answer: { answer_submission: "a deleted submission's answers: the foreign key's own cascade (PostgreSQL)" }
};

/**
 * Kept on SQLite only: answer_question_submission, merged into answer_question's INCLUDE on PostgreSQL by
 * 2026-12-12-0800 (SQLite has no INCLUDE, and its foreign key answer.submission_id skip-scans this index).
 */
const ONLY_SQLITE: Record<string, Record<string, string>> = {
	answer: {
		answer_question_submission:
			"submissions that answered question N, covering (question filter of the analysis); a deleted submission's answers (skip-scan)"
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
			const needed = { ...NEEDED[table], ...(engine === 'postgres' ? ONLY_PG : ONLY_SQLITE)[table] };
			expect(await plainIndexes(db, engine, table)).toEqual(Object.keys(needed).sort());
		});
	}

	// The readers of a submission's perspectives by submission_id (the group-set triggers, the respondent types of
	// the filtered analysis, the submission delete/update triggers) keep an index search through the perspective's
	// unique key (submission_id, position), not a scan, now that perspective_submission_group is gone.
	it("a submission's perspectives are read through perspective_unique", async () => {
		const statement = `select distinct coalesce(gp.group_code, '') as g from perspective gp where gp.submission_id = 'x'`;
		const plan = await planOf(db, engine, statement);
		if (engine === 'postgres')
			expect(plan).toMatch(/(Bitmap Index|Index|Index Only) Scan (using|on) perspective_unique\b/);
		else expect(plan).toMatch(/SEARCH gp USING INDEX sqlite_autoindex_perspective_\d+ \(submission_id=\?\)/);
		expect(plan).not.toMatch(/perspective_submission_group/);
	});

	// Every reader of a submission's answers (the triggers of the aggregates, retention, entry lists, the coding
	// store) goes through the submission's perspectives and answer_unique (perspective_id, question_id): on SQLite,
	// where answer_submission is gone, a search of answer_unique, not a scan or a skip-scan of answer. (PostgreSQL keeps
	// the index for its foreign key; its plans at 100,000 answers are in docs/deployment.md, twenty-fourth round.)
	it.skipIf(engine !== 'sqlite')("SQLite: a submission's answers are read through answer_unique", async () => {
		const statement = `select a.question_id from answer a where (a.perspective_id in (select ans_p.id from perspective ans_p
			where ans_p.submission_id = 'x' union all select ans_l.perspective_id from perspective_leaving ans_l
			where ans_l.submission_id = 'x') and +a.submission_id = 'x')`;
		const { rows } = await sql<{ detail: string }>`explain query plan ${sql.raw(statement)}`.execute(db.db);
		const plan = rows.map((r) => r.detail).join('\n');
		expect(plan).toMatch(/SEARCH a USING (COVERING )?INDEX sqlite_autoindex_answer_\d+ \(perspective_id=\?\)/);
		expect(plan).toMatch(/SEARCH ans_p USING (COVERING )?INDEX sqlite_autoindex_perspective_\d+ \(submission_id=\?\)/);
		expect(plan).not.toMatch(/SCAN a\b|ANY\(|answer_submission/);
	});

	// The triggers' text: no statement reads answer by submission_id alone.
	it("no trigger reads a submission's answers by answer.submission_id alone", async () => {
		const texts =
			engine === 'postgres'
				? (
						await sql<{ name: string; text: string }>`select p.proname as name, p.prosrc as text from pg_proc p
							join pg_namespace n on n.oid = p.pronamespace where n.nspname = current_schema()
							and p.prorettype = 'trigger'::regtype`.execute(db.db)
					).rows
				: (
						await sql<{ name: string; text: string }>`select name, sql as text from sqlite_master
							where type = 'trigger'`.execute(db.db)
					).rows;
		const bare = texts
			.filter((t) =>
				/\b(a|a2|qa)\.submission_id = ((old|new)\.(id|submission_id)|tp\.sid)\b/.test(
					t.text
						.replace(/\band \+?(a|a2|qa)\.submission_id = ((old|new)\.(id|submission_id)|tp\.sid)\)/g, '')
						// The day aggregates' form: the perspectives of X joined to their answers, X tested again.
						.replace(/\bp\.submission_id = ((old|new)\.id) and \+?a\.submission_id = \1\b/g, '')
				)
			)
			.map((t) => t.name);
		expect(bare).toEqual([]);
	});
});
