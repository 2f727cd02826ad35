/**
 * The aggregate rebuild on PostgreSQL (issue #19, a million answers): the migrations' rebuild statements, except
 * that the submissions' two stored sets are filled by one update instead of two.
 *
 * The migrations fill each submission's group set (0500: a correlated subquery per submission, run twice: in the
 * SET and in the WHERE) and then its question set (lib/aggregate-sql.ts: a grouped pass over the answers), each
 * an UPDATE of every submission. At a million answers each of those rewrote all 413,203 submission rows, with
 * every index entry (a bulk-loaded table has no room for HOT updates), and left the table two thirds dead rows
 * for the views to read past until a vacuum: the closing rebuild of a million-answer generation spent over
 * 6 minutes in the question-set fill alone. Here both sets come from one grouped pass each (perspectives,
 * answers), hashed against the submissions, and each submission row is written once. The perspectives' question
 * sets and every count are the migrations' own statements.
 *
 * SQLite runs its own statements (rebuild-sqlite.ts). tests/analysis-aggregates.test.ts checks that incremental
 * aggregates equal the rebuilt ones on both engines.
 */
import { REBUILD } from '../db/migrations/2026-12-01-0220-analysis-aggregates';
import { REBUILD_SUBMISSIONS } from '../db/migrations/2026-12-01-0300-submission-aggregates';
import { REBUILD_CODING } from '../db/migrations/2026-12-01-0400-coding-aggregates';
import { rebuildGroupSets } from '../db/migrations/2026-12-01-0500-group-set-aggregates';
import { REBUILD_READING } from '../db/migrations/2026-12-02-0200-reading-aggregates';
import { REBUILD_REVIEW } from '../db/migrations/2026-12-09-0200-review-aggregates';
import {
	QUESTION_SET_COUNTS,
	REBUILD_LANGUAGE,
	REBUILD_GROUP_SET_CHANNEL_EQUALITY,
	REBUILD_QUESTION_SET_EQUALITY,
	rebuildQuestionSets
} from '../db/migrations/lib/aggregate-sql';
import { REBUILD_QUESTION_SET_TOTALS } from '../db/migrations/2026-12-12-0900-question-set-totals';
import { REBUILD_THEME_CUBE } from '../db/migrations/lib/theme-cube-sql';
import { REBUILD_EQUALITY_MARGINS } from '../db/migrations/lib/equality-margin-sql';
import { REBUILD_QUOTE_ORDER } from '../db/migrations/lib/quote-order-sql';
import { REBUILD_DAY } from '../db/migrations/2026-12-12-0500-day-aggregates';

/** The migration's group-set statements after its first (the per-submission fill, replaced here): the counts. */
function groupSetCounts(): string[] {
	const [fill, ...rest] = rebuildGroupSets(true);
	if (!/^update submission set group_set/.test(fill)) throw new Error('rebuildGroupSets changed shape');
	return rest;
}

/** The perspectives' question-set fill of lib/aggregate-sql.ts (its statements are: submissions, perspectives, counts). */
function perspectiveQuestionSets(): string {
	const statements = rebuildQuestionSets(true);
	const fill = statements.find((s) => /^update perspective /.test(s));
	if (!fill || statements.length !== 2 + QUESTION_SET_COUNTS.length)
		throw new Error('rebuildQuestionSets changed shape');
	return fill;
}

/**
 * Each submission's group set ('|a|b|' sorted, '' for a type not known: migration 0500's groupSetOf) and question
 * set ('|1|12|' sorted by id: lib/aggregate-sql.ts's questionSetOf), '' for none, written in one update and only
 * where either differs.
 */
const SUBMISSION_SETS = `update submission s set group_set = x.gs, question_set = x.qs
	from (
		select s2.id, coalesce(g.gs, '') as gs, coalesce(q.qs, '') as qs
		from submission s2
		left join (
			select submission_id as id, '|' || string_agg(g, '|' order by g) || '|' as gs
			from (select distinct submission_id, coalesce(group_code, '') as g from perspective) d
			group by submission_id
		) g on g.id = s2.id
		left join (
			select submission_id as id, '|' || string_agg(q::text, '|' order by q) || '|' as qs
			from (select distinct submission_id, question_id as q from answer) d
			group by submission_id
		) q on q.id = s2.id
	) x
	where x.id = s.id and (s.group_set <> x.gs or s.question_set <> x.qs)`;

export function pgRebuild(): string[] {
	return [
		...REBUILD,
		...REBUILD_SUBMISSIONS,
		...REBUILD_CODING,
		...REBUILD_REVIEW,
		SUBMISSION_SETS,
		...groupSetCounts(),
		...REBUILD_READING,
		...REBUILD_LANGUAGE,
		perspectiveQuestionSets(),
		// After both sets (the question-set counts are keyed by the group sets too).
		...QUESTION_SET_COUNTS,
		...REBUILD_QUESTION_SET_EQUALITY,
		// The same without the group set, at the grain a question page reads (migration 2026-12-12-0900).
		...REBUILD_QUESTION_SET_TOTALS,
		// After the group sets (migration 2026-12-09-0300).
		...REBUILD_GROUP_SET_CHANNEL_EQUALITY,
		// The equality margins, from that table (migration 2026-12-11-0600).
		...REBUILD_EQUALITY_MARGINS,
		// The kept theme cube, after both question sets (migration 2026-12-11-0300).
		...REBUILD_THEME_CUBE,
		// The codings that apply with their answers' respondent types, the quotes' order (migration 2026-12-11-1100).
		...REBUILD_QUOTE_ORDER,
		...REBUILD_DAY
	];
}
