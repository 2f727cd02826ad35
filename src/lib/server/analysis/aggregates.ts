/**
 * The answer-level aggregates (issue #19): small tables kept right by SQL triggers in the same
 * transaction as every write (migration 2026-12-01-0220), read by the theme tables, the answers-per-
 * question table, the report and the public results page instead of scanning the answers. They
 * hold question × group × district × channel (× theme), so a view filtered by any of those reads
 * them too; a date or theme filter falls back to the indexed queries in queries.ts.
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import type { AnyExpressionBuilder } from '../db/untyped';
import type { Db } from '../db/connect';
import { REBUILD } from '../db/migrations/2026-12-01-0220-analysis-aggregates';
import { FACE_TO_FACE, UNKNOWN } from '../../analysis/filters';
import { FACE_TO_FACE_CHANNELS } from '../../domain/channels';
import type { Scope } from './scope';

/** ANALYSIS_AGGREGATES=off reads the answers as before (the oracle in tests, and for comparison in the bench). */
export function aggregatesEnabled(): boolean {
	return process.env.ANALYSIS_AGGREGATES !== 'off';
}

/** The aggregates can answer this scope: no date or theme filter. */
export function aggregatable(s: Scope): boolean {
	const f = s.filters;
	return aggregatesEnabled() && !f.from && !f.to && f.theme === undefined;
}

/** Recomputes both tables from the answers, in one transaction (`npm run analysis -- rebuild`). */
export async function rebuildAggregates(db: Db): Promise<{ answerRows: number; themeRows: number }> {
	return db.transaction().execute(async (tx) => {
		for (const s of REBUILD) await sql.raw(s).execute(tx);
		const count = async (t: 'analysis_agg_answer' | 'analysis_agg_theme') =>
			Number(
				(
					await tx
						.selectFrom(t)
						.select((eb) => eb.fn.countAll<number>().as('n'))
						.executeTakeFirstOrThrow()
				).n
			);
		return { answerRows: await count('analysis_agg_answer'), themeRows: await count('analysis_agg_theme') };
	});
}

/** The group / district / channel filters as conditions on an aggregate table ('' = not known). */
function dimensions(eb: AnyExpressionBuilder, s: Scope): Expression<SqlBool> {
	const f = s.filters;
	const out: Expression<SqlBool>[] = [];
	if (f.group) out.push(eb('group_code', '=', f.group === UNKNOWN ? '' : f.group));
	if (f.district) out.push(eb('district_code', '=', f.district === UNKNOWN ? '' : f.district));
	if (f.channel)
		out.push(
			f.channel === FACE_TO_FACE ? eb('channel', 'in', [...FACE_TO_FACE_CHANNELS]) : eb('channel', '=', f.channel)
		);
	return eb.and(out);
}

const key = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : String(v));

/** Answers per question in this scope (question, group, district and channel filters). */
export async function aggAnswersByQuestion(db: Db, s: Scope): Promise<{ questionId: number; n: number }[]> {
	const f = s.filters;
	const qids = f.question ? [s.questionIds.get(f.question) ?? -1] : [...s.questionIds.values(), -1];
	const rows = await db
		.selectFrom('analysis_agg_answer')
		.where((eb) => dimensions(eb, s))
		.where('question_id', 'in', qids)
		.select(['question_id as q', sql<number>`sum(n)`.as('n')])
		.groupBy('question_id')
		.execute();
	return rows.map((r) => ({ questionId: Number(r.q), n: Number(r.n) })).filter((r) => r.n !== 0);
}

/** The theme counts of one question (same shape as queries.ts themeCounts), from the aggregates. */
export async function aggThemeCounts(db: Db, s: Scope, questionId: number) {
	const [groupRows, themeRows] = await Promise.all([
		db
			.selectFrom('analysis_agg_answer')
			.where((eb) => dimensions(eb, s))
			.where('question_id', '=', questionId)
			.select(['group_code as g', sql<number>`sum(n)`.as('n'), sql<number>`sum(n - coded)`.as('u')])
			.groupBy('group_code')
			.execute(),
		db
			.selectFrom('analysis_agg_theme')
			.where((eb) => dimensions(eb, s))
			.where(
				'theme_id',
				'in',
				db
					.selectFrom('theme')
					.select('theme.id')
					.where('theme.question_id', '=', questionId)
					.where('theme.status', '=', 'active')
			)
			.select(['theme_id as t', 'group_code as g', sql<number>`sum(n)`.as('n')])
			.groupBy(['theme_id', 'group_code'])
			.execute()
	]);
	const groups = groupRows.filter((r) => Number(r.n) !== 0);
	return {
		groups: groups.map((r) => ({ key: key(r.g), n: Number(r.n) })),
		themes: themeRows
			.filter((r) => Number(r.n) !== 0)
			.map((r) => ({ themeId: Number(r.t), group: key(r.g), n: Number(r.n) })),
		uncoded: groups.map((r) => ({ key: key(r.g), n: Number(r.u) }))
	};
}
