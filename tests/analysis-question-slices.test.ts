/**
 * A question family's kept question-set rows in one statement (aggregates.ts byQuestionSet, issue #19): the
 * question scopes of a page (question 1 + a theme: its wider view "question 1" and that view's sibling questions)
 * read the question-set equality, submission and perspective tables once for the family, grouped by set, and each
 * question takes the sets that contain it. Every reader of every question scope, under group, district, channel
 * and date filters, must give what one statement per question gives (ANALYSIS_QUESTION_SLICES=off) and what the
 * plain queries on the answers give (ANALYSIS_AGGREGATES=off), on both engines; and a page's tables must not change.
 */
import { expect, it } from 'vitest';
import { describeEachEngine } from './helpers/databases';
import { demoLikeSuite } from './helpers/demo-like';
import { scopeReaders } from './helpers/scope-readers';
import { viewTables } from './fixtures/analysis/demo-like';
import { activeThemes, equalityCombinations } from '../src/lib/server/analysis/queries';
import { scopeOf } from '../src/lib/server/analysis/scope';
import { parseFilters } from '../src/lib/analysis/filters';
import type { Dimension } from '../src/lib/analysis/dimensions';

const PAIRS: [Dimension, Dimension][] = [
	['district', 'channel'],
	['group', 'district'],
	['age', 'gender']
];

describeEachEngine('question-set slices in one statement', (engine) => {
	const data = demoLikeSuite(engine, {
		env: { ANALYSIS_CACHE: 'off' },
		restore: ['ANALYSIS_QUESTION_SLICES', 'ANALYSIS_AGGREGATES']
	});
	const readers = async (qs: string, env: Record<string, string>) => {
		Object.assign(process.env, { ANALYSIS_QUESTION_SLICES: 'on', ANALYSIS_AGGREGATES: 'on', ...env });
		return scopeReaders(data.fresh.db, data.fx.c, qs, PAIRS);
	};

	it('gives every question its own figures, as one statement per question and the plain queries do', async () => {
		const { c } = data.fx;
		const g = c.groups[0].code;
		const d = c.districts[0].code;
		let rows = 0;
		for (const rest of [
			'min=5',
			`district=${d}&min=5`,
			`group=${g}&min=5`,
			`group=${g}&district=${d}&min=5`,
			'group=unknown&min=5',
			'district=unknown&min=5',
			'channel=online&min=5',
			'from=2017-06-01&to=2017-06-20&min=5'
		]) {
			for (const q of [...c.questions.map((x) => x.key), 'nope']) {
				const qs = `question=${q}&${rest}`;
				const fast = await readers(qs, {});
				expect(fast, qs).toEqual(await readers(qs, { ANALYSIS_QUESTION_SLICES: 'off' }));
				expect(fast, qs).toEqual(await readers(qs, { ANALYSIS_QUESTION_SLICES: 'question' }));
				expect(fast, qs).toEqual(await readers(qs, { ANALYSIS_AGGREGATES: 'off' }));
				rows += (fast.districts as string[]).length + (fast.equality as string[]).length;
			}
		}
		// Not a comparison of empty tables.
		expect(rows).toBeGreaterThan(100);
	}, 600_000);

	it('reads the question family from one statement per table', async () => {
		process.env.ANALYSIS_AGGREGATES = 'on';
		const family = async (on: boolean) => {
			process.env.ANALYSIS_QUESTION_SLICES = on ? 'on' : 'off';
			const s = scopeOf(data.fx.c, parseFilters(new URLSearchParams('question=q1&min=5')));
			await equalityCombinations(data.fresh.db, s);
			// The family's scope without the question holds every question's rows.
			const base = [...(s.family?.values() ?? [])].find((x) => x.filters.question === undefined);
			return [...(base?.memo?.keys() ?? [])];
		};
		expect(await family(true)).toContain('question-set-slices:equality');
		expect(await family(false)).not.toContain('question-set-slices:equality');
	});

	it('reads a question + district family from one statement per table', async () => {
		process.env.ANALYSIS_AGGREGATES = 'on';
		process.env.ANALYSIS_QUESTION_SLICES = 'on';
		const d = data.fx.c.districts[0].code;
		const s = scopeOf(data.fx.c, parseFilters(new URLSearchParams(`question=q1&district=${d}&min=5`)));
		await equalityCombinations(data.fresh.db, s);
		// Held by the scope without the question and the district, for every question and district.
		const base = [...(s.family?.values() ?? [])].find(
			(x) => x.filters.question === undefined && x.filters.district === undefined
		);
		expect([...(base?.memo?.keys() ?? [])]).toContain('question-set-slices:equality:district');
	});

	it('shows the same tables on a question + theme page and a question + group + district page', async () => {
		const { c } = data.fx;
		const [theme] = await activeThemes(data.fresh.db, [c.questions[0].id]);
		for (const qs of [
			`question=${c.questions[0].key}&theme=${theme.id}`,
			`question=${c.questions[1].key}&group=${c.groups[0].code}&district=${c.districts[0].code}`,
			`question=${c.questions[2].key}&district=${c.districts[1].code}`
		]) {
			const page = async (on: boolean) => {
				process.env.ANALYSIS_QUESTION_SLICES = on ? 'on' : 'off';
				const tables = await viewTables(data.fresh.db, data.fx, parseFilters(new URLSearchParams(qs)), [
					'a=district&b=disability&percent=row'
				]);
				return tables.map((t) => JSON.stringify(t));
			};
			const on = await page(true);
			expect(on.length, qs).toBeGreaterThan(5);
			expect(on, qs).toEqual(await page(false));
		}
	}, 600_000);
});
