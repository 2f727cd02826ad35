/**
 * Cross-tabs of the district with an equality answer (age, gender, disability, ethnicity, sexual
 * orientation) read the group-set equality aggregate (issue #19), also under a group and / or
 * district filter, and give the same counts as the query on the submissions
 * (ANALYSIS_AGGREGATES=off), on both engines. (tests/analysis-aggregates.test.ts covers the
 * other aggregates; this file is separate so that it stays quick.)
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, type FreshDb } from './helpers/databases';
import type { Fixture } from './fixtures/analysis/small';
import { demoLikeDatabase } from './helpers/demo-like';
import { scopeReaders } from './helpers/scope-readers';
import { crossCounts } from '../src/lib/server/analysis/queries';
import { crossTabTable } from '../src/lib/server/analysis/dashboard';
import { scopeOf } from '../src/lib/server/analysis/scope';
import { parseFilters } from '../src/lib/analysis/filters';
import type { Dimension } from '../src/lib/analysis/dimensions';

const EQUALITY: Dimension[] = ['age', 'gender', 'disability', 'ethnicity', 'orientation'];
const FILTERS = [
	'',
	'group=child',
	'group=young_person',
	'district=bromsgrove',
	'group=parent_carer&district=wychavon'
];

describeEachEngine('district × equality cross-tabs from the aggregates', (engine) => {
	let fresh: FreshDb;
	let fx: Fixture;
	beforeAll(async () => {
		({ fresh, fx } = await demoLikeDatabase(engine));
	}, 120_000);
	afterEach(() => {
		delete process.env.ANALYSIS_AGGREGATES;
	});
	afterAll(() => fresh?.drop());

	const sorted = (rows: { a: string | null; b: string | null; n: number }[]) =>
		rows.map((r) => `${r.a}|${r.b}|${r.n}`).sort();
	async function counts(qs: string, a: Dimension, b: Dimension, aggregates: boolean) {
		if (aggregates) delete process.env.ANALYSIS_AGGREGATES;
		else process.env.ANALYSIS_AGGREGATES = 'off';
		const r = await crossCounts(fresh.db, scopeOf(fx.c, parseFilters(new URLSearchParams(qs))), a, b);
		return { level: r.level, rows: sorted(r.rows) };
	}

	it('counts the same as the submissions, either way round, under every filter', async () => {
		let compared = 0;
		for (const qs of FILTERS)
			for (const eq of EQUALITY)
				for (const [a, b] of [
					['district', eq],
					[eq, 'district']
				] as [Dimension, Dimension][]) {
					const fromAggregates = await counts(qs, a, b, true);
					const fromRows = await counts(qs, a, b, false);
					expect(fromAggregates, `${qs} ${a}×${b}`).toEqual(fromRows);
					compared += fromRows.rows.length;
				}
		// The data has people in those cells: the comparison is not of empty lists.
		expect(compared).toBeGreaterThan(100);
	}, 120_000);

	it('shows the same suppressed table an officer sees either way', async () => {
		for (const qs of ['group=child', 'district=bromsgrove']) {
			const f = parseFilters(new URLSearchParams(qs));
			const table = async (aggregates: boolean) => {
				if (aggregates) delete process.env.ANALYSIS_AGGREGATES;
				else process.env.ANALYSIS_AGGREGATES = 'off';
				return crossTabTable(fresh.db, fx.c, scopeOf(fx.c, f), 'district', 'age', 'row');
			};
			const shown = await table(true);
			expect(shown.rows.length).toBeGreaterThan(0);
			expect(shown).toEqual(await table(false));
		}
	}, 120_000);
});

/**
 * A question scope's submission and perspective counts read from the kept question sets (migration
 * 2026-12-05-0100, queries.ts submissionCube / perspectiveCube) equal the per-table queries on the submissions
 * (ANALYSIS_AGGREGATES=off) and the cubes read from the base tables (ANALYSIS_QUESTION_SETS=off), under every
 * question alone and with a group, district, channel or date filter, on both engines.
 */
describeEachEngine('question scopes from the kept question sets', (engine) => {
	let fresh: FreshDb;
	let fx: Fixture;
	beforeAll(async () => {
		({ fresh, fx } = await demoLikeDatabase(engine));
	}, 120_000);
	afterEach(() => {
		delete process.env.ANALYSIS_AGGREGATES;
		delete process.env.ANALYSIS_QUESTION_SETS;
	});
	afterAll(() => fresh?.drop());

	const PAIRS: [Dimension, Dimension][] = [
		['district', 'channel'],
		['channel', 'location'],
		['week', 'channel'],
		['location', 'district'],
		['group', 'district'],
		['group', 'channel'],
		['group', 'group']
	];
	async function readers(qs: string, mode: 'kept' | 'cube' | 'rows') {
		delete process.env.ANALYSIS_AGGREGATES;
		delete process.env.ANALYSIS_QUESTION_SETS;
		if (mode === 'rows') process.env.ANALYSIS_AGGREGATES = 'off';
		if (mode === 'cube') process.env.ANALYSIS_QUESTION_SETS = 'off';
		return scopeReaders(fresh.db, fx.c, qs, PAIRS);
	}

	it('counts the same as the submissions and as the cube from the base tables', async () => {
		const filters = [
			...fx.c.questions.map((q) => `question=${q.key}`),
			'question=q1&group=child',
			'question=q2&group=unknown',
			'question=q1&district=bromsgrove&channel=online',
			'question=q3&district=unknown',
			'question=q2&channel=face-to-face',
			'question=q1&group=young_person&from=2017-06-01&to=2017-06-20',
			'question=nope'
		];
		let people = 0;
		for (const qs of filters) {
			const kept = await readers(qs, 'kept');
			expect(kept, `${qs} (rows)`).toEqual(await readers(qs, 'rows'));
			expect(kept, `${qs} (cube)`).toEqual(await readers(qs, 'cube'));
			people += Number(kept.submissions);
		}
		expect(people).toBeGreaterThan(100);
	}, 240_000);

	it('reads a theme scope and its question siblings from one cube grouped by question set', async () => {
		// The theme scope, each question's sibling with the theme (a question + theme dashboard's family), and
		// with other filters: the same as the submissions and as one cube per scope.
		const theme = (await fresh.db.selectFrom('theme').select('id').orderBy('id').executeTakeFirstOrThrow()).id;
		const filters = [
			`theme=${theme}`,
			...fx.c.questions.map((q) => `question=${q.key}&theme=${theme}`),
			`question=q2&theme=${theme}&group=child`,
			`question=q3&theme=${theme}&district=bromsgrove`,
			`question=nope&theme=${theme}`
		];
		let people = 0;
		for (const qs of filters) {
			const kept = await readers(qs, 'kept');
			expect(kept, `${qs} (rows)`).toEqual(await readers(qs, 'rows'));
			expect(kept, `${qs} (cube)`).toEqual(await readers(qs, 'cube'));
			if (qs.startsWith('question=q2')) people += Number(kept.submissions);
		}
		// Submissions with the theme (a q1 theme) that answered another question too: the slices are not empty.
		expect(people).toBeGreaterThan(10);
	}, 240_000);
});
