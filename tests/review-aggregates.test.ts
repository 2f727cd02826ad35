/**
 * The reviewed answers kept by triggers (issue #19, migration 2026-12-09-0200, analysis_agg_review): after each
 * write that changes an answer's reviewed state or cell (an officer's coding, accepting in bulk, a review taken back
 * by hand, a perspective's group, a submission's district or channel, deletes), the kept table is exactly the
 * reviewed answers counted per question × group × district × channel, and the review list's "not yet reviewed"
 * total read from it equals the total counted over the answers (REVIEW_AGGREGATES=off), over filter combinations,
 * on both engines.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { addUser } from './helpers/users';
import { SLUG } from './helpers/consultation';
import { generateAnswers } from '../scripts/generate-answers';
import { getConsultation, type ConsultationView } from '../src/lib/server/consultations/queries';
import { parseFilters, parseReviewFilters, UNKNOWN } from '../src/lib/analysis/filters';
import { scopeOf } from '../src/lib/server/analysis/scope';
import { bulkCode, reviewTotal, setAnswerThemes } from '../src/lib/server/review';
import { deleteByReference } from '../src/lib/server/retention/retention';
import { referenceFor } from '../src/lib/server/submissions/reference';
import { rebuildAggregates } from '../src/lib/server/analysis/aggregates';

type Cell = { question_id: number; group_code: string; district_code: string; channel: string; n: number };

describeEachEngine('reviewed answers kept by triggers for the review list', (engine) => {
	let fresh: FreshDb;
	let c: ConsultationView;
	let officer: { id: number };

	const norm = (rows: Cell[]) =>
		rows
			.map((r) => ({ ...r, question_id: Number(r.question_id), n: Number(r.n) }))
			.filter((r) => r.n !== 0)
			.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

	/** The reviewed answers counted now, per cell (the oracle). */
	async function counted(): Promise<Cell[]> {
		return norm(
			(await fresh.db
				.selectFrom('answer as a')
				.innerJoin('perspective as p', 'p.id', 'a.perspective_id')
				.innerJoin('submission as s', 's.id', 'a.submission_id')
				.where('a.reviewed_at', 'is not', null)
				.select([
					'a.question_id',
					sql<string>`coalesce(p.group_code, '')`.as('group_code'),
					sql<string>`coalesce(s.district_code, '')`.as('district_code'),
					's.channel',
					sql<number>`count(*)`.as('n')
				])
				.groupBy(['a.question_id', sql`coalesce(p.group_code, '')`, sql`coalesce(s.district_code, '')`, 's.channel'])
				.execute()) as Cell[]
		);
	}
	const kept = async () => norm((await fresh.db.selectFrom('analysis_agg_review').selectAll().execute()) as Cell[]);

	const FILTERS = [
		'',
		'group=child',
		`group=${UNKNOWN}`,
		'district=bromsgrove',
		'group=child&district=bromsgrove',
		'channel=online',
		'channel=face-to-face',
		'question=q1',
		'question=q2&group=young_person&channel=online'
	];
	async function totals(review: string): Promise<Record<string, number>> {
		const out: Record<string, number> = {};
		for (const f of FILTERS) {
			const params = new URLSearchParams(`${f}&${review}`);
			out[f] = await reviewTotal(fresh.db, scopeOf(c, parseFilters(params)), parseReviewFilters(params));
		}
		return out;
	}

	/** The kept cells are the counted ones, and the not-yet-reviewed totals from them the counted totals. */
	async function expectKept(after: string) {
		const cells = await counted();
		expect({ after, cells: await kept() }).toEqual({ after, cells });
		const fromTable = await totals('unreviewed=1');
		process.env.REVIEW_AGGREGATES = 'off';
		try {
			expect({ after, totals: fromTable }).toEqual({ after, totals: await totals('unreviewed=1') });
		} finally {
			delete process.env.REVIEW_AGGREGATES;
		}
		return cells.reduce((t, r) => t + r.n, 0);
	}

	beforeAll(async () => {
		process.env.ANALYSIS_CACHE = 'off';
		fresh = await preparedDatabase(engine);
		await generateAnswers(fresh.db, { answers: 600, seed: 9 });
		c = (await getConsultation(fresh.db, SLUG))!;
		officer = { id: (await addUser(fresh.db, { email: `rv-${engine}@example.org`, role: 'officer' })).id };
	}, 120_000);
	afterAll(() => fresh?.drop());

	it('keeps the reviewed counts through every write that changes them, as counted and as rebuilt', async () => {
		const db = fresh.db;
		expect(await expectKept('start')).toBe(0);
		const answers = await db
			.selectFrom('answer')
			.innerJoin('theme', 'theme.question_id', 'answer.question_id')
			.select(['answer.id', sql<number>`min(theme.id)`.as('theme')])
			.where('theme.status', '=', 'active')
			.groupBy('answer.id')
			.orderBy('answer.id')
			.execute();
		// An officer's coding, one answer at a time (some left with no theme), in several questions and groups.
		for (const [i, a] of answers.entries())
			if (i % 7 === 0) await setAnswerThemes(db, c.id, a.id, i % 2 ? [] : [Number(a.theme)], officer);
		const afterCoding = await expectKept('coded one by one');
		expect(afterCoding).toBeGreaterThan(40);
		// Accepting in bulk (some already reviewed: counted once).
		await bulkCode(
			db,
			c.id,
			answers.filter((_, i) => i % 11 === 0).map((a) => a.id),
			'accept',
			null,
			officer
		);
		expect(await expectKept('accepted in bulk')).toBeGreaterThan(afterCoding);
		// A review taken back by hand, and one re-stamped (stays reviewed: no change).
		const reviewed = await db
			.selectFrom('answer')
			.select('id')
			.where('reviewed_at', 'is not', null)
			.orderBy('id')
			.execute();
		await db
			.updateTable('answer')
			.set({ reviewed_at: null })
			.where(
				'id',
				'in',
				reviewed.filter((_, i) => i % 5 === 0).map((r) => r.id)
			)
			.execute();
		await db
			.updateTable('answer')
			.set({ reviewed_at: '2030-01-01T00:00:00Z' })
			.where('id', '=', reviewed[1].id)
			.execute();
		await expectKept('reviews taken back');
		// A perspective with reviewed answers changes group; a submission changes district, another channel.
		const holder = await db
			.selectFrom('answer')
			.innerJoin('perspective', 'perspective.id', 'answer.perspective_id')
			.select(['perspective.id as pid', 'perspective.group_code', 'answer.submission_id'])
			.where('answer.reviewed_at', 'is not', null)
			.orderBy('answer.id')
			.limit(3)
			.execute();
		await db
			.updateTable('perspective')
			.set({ group_code: holder[0].group_code === 'child' ? null : 'child' })
			.where('id', '=', holder[0].pid)
			.execute();
		await expectKept('group changed');
		await db
			.updateTable('submission')
			.set({ district_code: 'bromsgrove' })
			.where('id', '=', holder[1].submission_id)
			.execute();
		await db.updateTable('submission').set({ district_code: null }).where('id', '=', holder[0].submission_id).execute();
		await expectKept('district changed');
		await db.updateTable('submission').set({ channel: 'library' }).where('id', '=', holder[2].submission_id).execute();
		await expectKept('channel changed');
		// Deletes: a submission (cascading to its perspectives and answers), a perspective, one answer.
		const more = await db
			.selectFrom('answer')
			.select(['id', 'perspective_id', 'submission_id'])
			.where('reviewed_at', 'is not', null)
			.orderBy('id', 'desc')
			.limit(3)
			.execute();
		await deleteByReference(db, referenceFor(more[0].submission_id));
		await expectKept('submission deleted');
		await db.deleteFrom('perspective').where('id', '=', more[1].perspective_id).execute();
		await expectKept('perspective deleted');
		await db.deleteFrom('answer').where('id', '=', more[2].id).execute();
		const end = await expectKept('answer deleted');
		expect(end).toBeGreaterThan(40);
		// The rebuild gives the same table (and the review table is one of those it rebuilds).
		const incremental = await kept();
		const rebuilt = await rebuildAggregates(db);
		expect(rebuilt.analysis_agg_review).toBeGreaterThan(0);
		expect(await kept()).toEqual(incremental);
	}, 120_000);
});
