/**
 * The aggregate rebuild on SQLite (issue #19, a million answers): the same tables as the migrations' rebuild
 * statements, in fewer passes over the big tables.
 *
 * The migrations' statements each join every answer (or every theme coding) to its perspective and its
 * submission again; the submission by its random UUID through the text index, and the codings in theme order,
 * so at a million answers (2.2 million codings) nearly every lookup lands on another page. Here the answers are
 * read once, in rowid order, into a temporary table keyed by the answer id holding the columns the answer-level
 * tables group by; the answer, theme and reading tables are then filled from it (the codings look their answer up
 * by integer key in that small table). The submissions' group sets are worked out in one grouped pass over the
 * perspective index instead of a correlated subquery per submission, run twice. The submission-level, coding and
 * group-set counts are the migrations' own statements (they read the submissions or one table already), and so
 * are the language counts (lib/aggregate-sql.ts: the answer table alone).
 *
 * Not used on PostgreSQL, whose planner hashes the joins anyway. tests/analysis-aggregates.test.ts checks that
 * incremental aggregates equal the rebuilt ones on both engines.
 */
import { REBUILD_SUBMISSIONS } from '../db/migrations/2026-12-01-0300-submission-aggregates';
import { REBUILD_CODING } from '../db/migrations/2026-12-01-0400-coding-aggregates';
import { rebuildGroupSets } from '../db/migrations/2026-12-01-0500-group-set-aggregates';
import { REBUILD_REVIEW } from '../db/migrations/2026-12-09-0200-review-aggregates';
import {
	REBUILD_LANGUAGE,
	REBUILD_GROUP_SET_CHANNEL_EQUALITY,
	REBUILD_QUESTION_SET_EQUALITY,
	rebuildQuestionSets
} from '../db/migrations/lib/aggregate-sql';
import { REBUILD_QUESTION_SET_TOTALS } from '../db/migrations/2026-12-12-0900-question-set-totals';
import { REBUILD_THEME_CUBE } from '../db/migrations/lib/theme-cube-sql';
import { REBUILD_EQUALITY_MARGINS } from '../db/migrations/lib/equality-margin-sql';
import { REBUILD_QUOTE_ORDER } from '../db/migrations/lib/quote-order-sql';

/** An answer has an active theme that applies (as the migration 2026-12-01-0220's triggers count `coded`). */
const hasActive = (answerId: string) =>
	`exists (select 1 from answer_theme hx join theme ht on ht.id = hx.theme_id
	 where hx.answer_id = ${answerId} and hx.applies = 1 and ht.status = 'active')`;

/** The groups whose answers are read in full (migration 2026-12-02-0200's READ_ALL). */
const READ_ALL = `('child', 'young_person')`;

/** The migration's group-set statements after its first (the per-submission fill, replaced here): the counts. */
function groupSetCounts(): string[] {
	const [fill, ...rest] = rebuildGroupSets(false);
	if (!/^update submission set group_set/.test(fill)) throw new Error('rebuildGroupSets changed shape');
	return rest;
}

const TEMPS = ['rebuild_answer', 'rebuild_set'];

export function sqliteRebuild(): string[] {
	return [
		...TEMPS.map((t) => `drop table if exists temp.${t}`),
		// The answers, once, in rowid order (`not indexed`: a table scan, so the perspective lookups by rowid
		// walk forward too).
		`create temp table rebuild_answer (id integer primary key, question_id integer not null,
		 group_code text not null, district_code text not null, channel text not null, day text not null,
		 submission_day text not null, read_all integer not null)`,
		`insert into temp.rebuild_answer
		 select a.id, a.question_id, coalesce(p.group_code, ''), coalesce(s.district_code, ''), s.channel,
		        substr(a.created_at, 1, 10), substr(s.created_at, 1, 10),
		        case when a.text is not null and p.group_code is not null and p.group_code in ${READ_ALL} then 1 else 0 end
		 from answer a not indexed join perspective p on p.id = a.perspective_id join submission s on s.id = a.submission_id`,
		`delete from analysis_agg_answer`,
		`insert into analysis_agg_answer (question_id, group_code, district_code, channel, n, coded)
		 select question_id, group_code, district_code, channel, count(*), sum(case when ${hasActive('t.id')} then 1 else 0 end)
		 from temp.rebuild_answer t
		 group by question_id, group_code, district_code, channel`,
		`delete from analysis_agg_theme`,
		`insert into analysis_agg_theme (theme_id, group_code, district_code, channel, n)
		 select x.theme_id, t.group_code, t.district_code, t.channel, count(*)
		 from answer_theme x join temp.rebuild_answer t on t.id = x.answer_id
		 where x.applies = 1
		 group by x.theme_id, t.group_code, t.district_code, t.channel`,
		// By the day of the answer's submission (migration 2026-12-12-0500).
		`delete from analysis_agg_answer_day`,
		`insert into analysis_agg_answer_day (question_id, group_code, district_code, channel, day, n, coded)
		 select question_id, group_code, district_code, channel, submission_day, count(*),
		        sum(case when ${hasActive('t.id')} then 1 else 0 end)
		 from temp.rebuild_answer t
		 group by question_id, group_code, district_code, channel, submission_day`,
		`delete from analysis_agg_theme_day`,
		`insert into analysis_agg_theme_day (theme_id, group_code, district_code, channel, day, n)
		 select x.theme_id, t.group_code, t.district_code, t.channel, t.submission_day, count(*)
		 from answer_theme x join temp.rebuild_answer t on t.id = x.answer_id
		 where x.applies = 1
		 group by x.theme_id, t.group_code, t.district_code, t.channel, t.submission_day`,
		`delete from analysis_agg_reading`,
		`insert into analysis_agg_reading (question_id, day, n, n_read)
		 select question_id, day, count(*),
		        sum(case when exists (select 1 from answer_read rr where rr.answer_id = t.id) then 1 else 0 end)
		 from temp.rebuild_answer t
		 where read_all = 1
		 group by question_id, day`,
		...REBUILD_SUBMISSIONS,
		...REBUILD_CODING,
		// Reviewed answers per question × group × district × channel: the reviewed ones only (few), through the
		// partial index answer_reviewed_at.
		...REBUILD_REVIEW,
		// Answers per language: one pass over the answers alone (lib/aggregate-sql.ts, as the migration fills it).
		...REBUILD_LANGUAGE,
		// Each submission's set of respondent types, '|a|b|' sorted ('' for a type not known; migration 0500's
		// groupSetOf), from one pass over the perspectives in submission order.
		`create temp table rebuild_set (submission_id text primary key, group_set text not null) without rowid`,
		`insert into temp.rebuild_set
		 select submission_id, '|' || group_concat(g, '|' order by g) || '|'
		 from (select distinct submission_id, coalesce(group_code, '') as g from perspective)
		 group by submission_id`,
		`update submission set group_set = coalesce((select r.group_set from temp.rebuild_set r where r.submission_id = submission.id), '')
		 where group_set <> coalesce((select r.group_set from temp.rebuild_set r where r.submission_id = submission.id), '')`,
		...groupSetCounts(),
		// The submissions' and perspectives' question sets (one grouped pass over the answers each), then their
		// counts, keyed by the group sets just filled (lib/aggregate-sql.ts, as migration 2026-12-05-0100 fills them).
		...rebuildQuestionSets(false),
		...REBUILD_QUESTION_SET_EQUALITY,
		// The same without the group set, at the grain a question page reads (migration 2026-12-12-0900).
		...REBUILD_QUESTION_SET_TOTALS,
		// Submissions per group set × district × channel × equality answers, after the sets (migration 2026-12-09-0300).
		...REBUILD_GROUP_SET_CHANNEL_EQUALITY,
		// The equality margins, from that table (migration 2026-12-11-0600).
		...REBUILD_EQUALITY_MARGINS,
		// The kept theme cube, after the question sets it is keyed by (migration 2026-12-11-0300).
		...REBUILD_THEME_CUBE,
		// The codings that apply with their answers' respondent types, the quotes' order (migration 2026-12-11-1100).
		...REBUILD_QUOTE_ORDER,
		...TEMPS.map((t) => `drop table temp.${t}`)
	];
}
