import { describe, expect, it } from 'vitest';
import { agreement, agreementFromSets, formatPct, groupVsRest, pct } from '../src/lib/analysis/stats';
import { protectTable } from '../src/lib/analysis/suppress';
import {
	crossTab,
	equalityTable,
	ranks,
	tally,
	themeTables,
	ticked,
	describeTickRule
} from '../src/lib/analysis/tables';
import { parseFilters, filterQuery, parseReviewFilters, reviewPageLinks } from '../src/lib/analysis/filters';
import { byWeek, weekOf, weekBucket, wholeWeeks } from '../src/lib/analysis/weeks';
import { equalityCategories } from '../src/lib/analysis/dimensions';

describe('percentages', () => {
	it('computes and formats them, with no division by zero', () => {
		expect(pct(1, 4)).toBe(25);
		expect(pct(3, 0)).toBeNull();
		expect(formatPct(7.46)).toBe('7.5%');
		expect(formatPct(23.4)).toBe('23%');
		expect(formatPct(0)).toBe('0%');
		expect(formatPct(null)).toBe('–');
	});
});

describe('group vs rest significance (adjusted standardised residual)', () => {
	it('matches a hand-computed residual', () => {
		// E = 100*50/400 = 12.5; var = 12.5 * (1-100/400) * (1-50/400) = 8.203125; r = 17.5 / 2.86411 = 6.1101
		const r = groupVsRest({ k: 30, n: 100, m: 50, N: 400 });
		expect(r.expected).toBeCloseTo(12.5, 10);
		expect(r.residual).toBeCloseTo(6.1101, 3);
		expect(r.direction).toBe('more');
	});
	it('marks notably less, and no difference', () => {
		// E = 12.5, k = 2: r = -10.5 / 2.86411 = -3.666
		expect(groupVsRest({ k: 2, n: 100, m: 50, N: 400 }).residual).toBeCloseTo(-3.666, 2);
		expect(groupVsRest({ k: 2, n: 100, m: 50, N: 400 }).direction).toBe('less');
		expect(groupVsRest({ k: 13, n: 100, m: 50, N: 400 }).direction).toBe('same');
	});
	it('skips the test where an expected count is under 5', () => {
		// E11 = 10*20/400 = 0.5 < 5
		expect(groupVsRest({ k: 3, n: 10, m: 20, N: 400 })).toEqual({
			residual: null,
			expected: 0.5,
			direction: 'untested'
		});
		// the only group: nothing to compare with
		expect(groupVsRest({ k: 3, n: 10, m: 5, N: 10 }).direction).toBe('untested');
	});
});

describe('agreement F1', () => {
	it('from counts', () => {
		const a = agreement(8, 2, 2);
		expect(a.precision).toBeCloseTo(0.8);
		expect(a.recall).toBeCloseTo(0.8);
		expect(a.f1).toBeCloseTo(0.8);
		expect(agreement(0, 0, 0).f1).toBeNull();
	});
	it('from per-answer sets, hand-computed', () => {
		// answer 1: auto {a,b} final {a,c}: tp1 fp1 fn1; answer 2: auto {a} final {a}: tp1; answer 3: auto {} final {b}: fn1
		const a = agreementFromSets([
			{ auto: ['a', 'b'], final: ['a', 'c'] },
			{ auto: ['a'], final: ['a'] },
			{ auto: [], final: ['b'] }
		]);
		expect([a.truePositive, a.falsePositive, a.falseNegative]).toEqual([2, 1, 2]);
		expect(a.f1).toBeCloseTo(4 / 7);
	});
});

describe('small-cell suppression', () => {
	it('hides counts under the threshold and protects them with secondary suppression (totals included)', () => {
		// Two rows with their totals: each small cell needs a partner in its row and column.
		const p = protectTable({
			cells: [
				[10, 3, 20],
				[7, 8, 9]
			],
			rowTotals: [33, 24],
			colTotals: [17, 11, 29],
			grand: 57,
			min: 5
		});
		// 3 takes 8 as its column partner and 10 as its row partner; 7 closes the rectangle.
		expect(p.cells).toEqual([
			['secondary', 'primary', false],
			['secondary', 'secondary', false]
		]);
		expect([...p.rowTotals, ...p.colTotals, p.grand].some(Boolean)).toBe(false);
		expect(
			protectTable({
				cells: [
					[0, 12],
					[6, 9]
				],
				rowTotals: [12, 15],
				colTotals: [6, 21],
				grand: 27,
				min: 5
			}).any
		).toBe(false);
		expect(protectTable({ cells: [[3, 2, 20]], rowTotals: [25], min: 5 }).cells).toEqual([
			['primary', 'primary', false]
		]);
		expect(protectTable({ cells: [[3, 2, 20]], rowTotals: [25], min: 0 }).any).toBe(false);
	});
	it('shows "<5" in tallies and says a cell was suppressed', () => {
		const t = tally(
			'd',
			'Districts',
			'District',
			[
				{ key: 'a', label: 'A', n: 40 },
				{ key: 'b', label: 'B', n: 3 },
				{ key: 'c', label: 'C', n: 57 }
			],
			{ min: 5 }
		);
		expect(t.rows.map((r) => r.cells[0].text)).toEqual(['[c]', '<5', '57 (57%)', '100']);
		expect(t.anySuppressed).toBe(true);
		expect(tally('d', 'D', 'D', [{ key: 'a', label: 'A', n: 3 }], { min: 3 }).anySuppressed).toBe(false);
	});
	it('suppresses small cross-tab cells and their totals', () => {
		const t = crossTab({
			id: 'x',
			caption: 'x',
			rowHeading: 'r',
			rows: [
				{ key: 'r1', label: 'R1' },
				{ key: 'r2', label: 'R2' }
			],
			columns: [
				{ key: 'c1', label: 'C1' },
				{ key: 'c2', label: 'C2' }
			],
			count: (r, c) =>
				(({ 'r1|c1': 20, 'r1|c2': 30, 'r2|c1': 40, 'r2|c2': 10 }) as Record<string, number>)[`${r}|${c}`],
			min: 5,
			percent: 'row'
		});
		expect(t.rows[0].cells.map((c) => c.text)).toEqual(['20 (40%)', '30 (60%)', '50']);
		expect(t.rows[2].cells.map((c) => c.text)).toEqual(['60 (60%)', '40 (40%)', '100']);
		const small = crossTab({
			...{ id: 'x', caption: 'x', rowHeading: 'r' },
			rows: [{ key: 'r1', label: 'R1' }],
			columns: [
				{ key: 'c1', label: 'C1' },
				{ key: 'c2', label: 'C2' },
				{ key: 'c3', label: 'C3' }
			],
			count: (_r, c) => ({ c1: 2, c2: 9, c3: 30 })[c]!,
			min: 5,
			percent: 'none'
		});
		expect(small.rows[0].cells.map((c) => c.text)).toEqual(['<5', '[c]', '30', '41']);
	});
});

describe('equality characteristics', () => {
	it('separates not asked, prefer not to say and left blank, with percentages of those asked', () => {
		const t = equalityTable(
			'g',
			'Gender',
			equalityCategories('gender'),
			new Map([
				['female', 10],
				['male', 6],
				['prefer_not_to_say', 2],
				['left_blank', 2],
				['not_asked', 30]
			]),
			0
		);
		const byKey = Object.fromEntries(t.rows.map((r) => [r.key, r.cells[0]]));
		expect(byKey.female.pct).toBe(50);
		expect(byKey.male.pct).toBe(30);
		expect(byKey.prefer_not_to_say).toMatchObject({ n: 2, pct: 10 });
		expect(byKey.left_blank).toMatchObject({ n: 2, pct: 10 });
		expect(byKey.not_asked).toMatchObject({ n: 30, pct: null, text: '30' });
		expect(byKey._asked.n).toBe(20);
		expect(t.rows.find((r) => r.key === 'not_asked')!.label).toBe('Not asked (face to face)');
		expect(t.notes[0]).toContain('20 respondents who were asked');
		const suppressed = equalityTable(
			'g',
			'Gender',
			equalityCategories('gender'),
			new Map([
				['female', 10],
				['male', 6],
				['prefer_not_to_say', 2],
				['left_blank', 2],
				['not_asked', 30]
			]),
			5
		);
		// The two "<5"s add up to 4, which "Asked" less female and male would publish: male is hidden with them
		// (a line's hidden cells may not add up to a small count: suppress.ts closeSmallSums).
		expect(suppressed.rows.filter((r) => r.cells[0].suppressed).map((r) => r.key)).toEqual([
			'male',
			'prefer_not_to_say',
			'left_blank'
		]);
	});
});

describe('tick rule', () => {
	it('ranks with ties and ticks top N or at least P%', () => {
		expect(ranks([10, 5, 5, 1])).toEqual([1, 2, 2, 4]);
		expect(ticked(5, 2, 100, { top: 2, minPct: 0 })).toBe(true);
		expect(ticked(1, 4, 100, { top: 2, minPct: 0 })).toBe(false);
		expect(ticked(1, 4, 10, { top: 2, minPct: 10 })).toBe(true);
		expect(ticked(0, 1, 10, { top: 2, minPct: 0 })).toBe(false);
		expect(describeTickRule({ top: 5, minPct: 10 })).toContain(
			'5 most often raised themes, or was raised in at least 10%'
		);
	});
	it('builds the theme x group table with percentages of each group and a seed-style tick table', () => {
		const groups = [
			{ key: 'child', label: 'Children' },
			{ key: 'parent', label: 'Parents' }
		];
		const t = themeTables({
			question: { key: 'q1', text: 'What matters?' },
			themes: [
				{ id: 1, label: 'Family' },
				{ id: 2, label: 'Pets' },
				{ id: 3, label: 'Support services' }
			],
			groups,
			groupAnswers: new Map([
				['child', 100],
				['parent', 300]
			]),
			counts: new Map([
				['1|child', 40],
				['1|parent', 60],
				['2|child', 30],
				['2|parent', 20],
				['3|child', 2],
				['3|parent', 90]
			]),
			min: 0,
			rule: { top: 1, minPct: 25 }
		});
		const family = t.counts.rows[0].cells;
		expect(family.map((c) => c.text)).toEqual(['40 (40%)', '60 (20%)', '100 (25%)']);
		// family: k=40 n=100 m=100 N=400: E=25, var=25*.75*.75=14.0625, r=15/3.75=4 -> more
		expect(family[0].mark).toBe('more');
		expect(family[1].mark).toBe('less');
		// ticks: child top 1 = Family (40), pets 30% >= 25%; parent top 1 = Support (90 = 30%)
		const ticks = Object.fromEntries(t.ticks.rows.map((r) => [r.label, r.cells.map((c) => c.tick)]));
		expect(ticks).toEqual({ Family: [true, false], Pets: [true, false], 'Support services': [false, true] });
	});
});

describe('filters in the query string', () => {
	it('parses valid values, drops invalid ones and round-trips', () => {
		const f = parseFilters(
			new URLSearchParams(
				'question=q1&group=child&district=&channel=online&from=2017-06-01&to=2017-05-01&theme=abc&min=10'
			)
		);
		expect(f).toEqual({
			question: 'q1',
			group: 'child',
			channel: 'online',
			from: '2017-05-01',
			to: '2017-06-01',
			min: 10
		});
		expect(parseFilters(new URLSearchParams('group=<script>&min=-1')).group).toBeUndefined();
		expect(parseFilters(new URLSearchParams('min=-1')).min).toBe(5);
		expect(filterQuery(f, { theme: 3, page: 2 })).toBe(
			'?question=q1&group=child&channel=online&from=2017-05-01&to=2017-06-01&theme=3&min=10&page=2'
		);
		expect(filterQuery({ min: 5 })).toBe('');
		expect(parseReviewFilters(new URLSearchParams('uncoded=1&below=0.5&page=3'))).toEqual({
			uncoded: true,
			unreviewed: false,
			below: 0.5,
			page: 3,
			next: false
		});
		// Keyset paging: an id after or before (after wins); anything else is dropped.
		const keys = (q: string) => {
			const r = parseReviewFilters(new URLSearchParams(q));
			return { after: r.after, before: r.before, page: r.page };
		};
		expect(keys('after=120&page=7')).toEqual({ after: 120, before: undefined, page: 7 });
		expect(keys('before=99&page=2')).toEqual({ after: undefined, before: 99, page: 2 });
		expect(keys('after=5&before=9')).toEqual({ after: 5, before: undefined, page: 1 });
		expect(keys('after=-1&before=x')).toEqual({ after: undefined, before: undefined, page: 1 });
	});

	it("builds the review list's Previous / Next links: by key in id order, by page number in code next's order", () => {
		const f = { group: 'child', min: 5 };
		const extra = { unreviewed: 1, uncoded: undefined };
		const ids = [101, 105, 240];
		// Page 1 of 7 (20 a page, 130 answers): Next after the last id, no Previous.
		expect(reviewPageLinks(f, extra, { page: 1 }, 130, 20, ids)).toEqual({
			prev: null,
			next: '?group=child&unreviewed=1&page=2&after=240'
		});
		// Page 2: back to page 1 needs no key.
		expect(reviewPageLinks(f, extra, { page: 2 }, 130, 20, ids).prev).toBe('?group=child&unreviewed=1&page=1');
		// Page 5: Previous before the first id; the last page has no Next.
		expect(reviewPageLinks(f, extra, { page: 5 }, 130, 20, ids).prev).toBe(
			'?group=child&unreviewed=1&page=4&before=101'
		);
		expect(reviewPageLinks(f, extra, { page: 7 }, 130, 20, ids).next).toBeNull();
		// Code next (an ordered list, not id order) and an empty page: page numbers only.
		expect(reviewPageLinks(f, extra, { page: 3 }, 130, 20, null)).toEqual({
			prev: '?group=child&unreviewed=1&page=2',
			next: '?group=child&unreviewed=1&page=4'
		});
		expect(reviewPageLinks(f, extra, { page: 3 }, 130, 20, []).next).toBe('?group=child&unreviewed=1&page=4');
	});
});

describe('weeks', () => {
	it('buckets days into weeks from the opening date', () => {
		expect(weekOf('2017-05-22', '2017-05-22')).toBe(1);
		expect(weekOf('2017-05-28', '2017-05-22')).toBe(1);
		expect(weekOf('2017-05-29', '2017-05-22')).toBe(2);
		expect(weekBucket(2, '2017-05-22').label).toBe('Week 2 (2017-05-29 to 2017-06-04)');
		const w = byWeek(
			[
				{ day: '2017-05-23', key: 'a', n: 2 },
				{ day: '2017-05-30', key: 'a', n: 1 },
				{ day: '2017-05-24', key: 'a', n: 3 }
			],
			'2017-05-22'
		);
		expect([...w.entries()].map(([k, m]) => [k, m.get('a')])).toEqual([
			[1, 5],
			[2, 1]
		]);
	});

	it('widens a date filter to whole weeks, so two ranges never differ by a few days', () => {
		const start = '2017-05-22';
		// 1–28 May against 1–27 May would give 28 May's answers; both are now weeks 1 to 1.
		expect(wholeWeeks({ from: '2017-05-22', to: '2017-05-27' }, start)).toEqual({
			from: '2017-05-22',
			to: '2017-05-28'
		});
		expect(wholeWeeks({ from: '2017-05-24', to: '2017-06-01' }, start)).toEqual({
			from: '2017-05-22',
			to: '2017-06-04'
		});
		expect(wholeWeeks({ from: '2017-05-29' }, start)).toEqual({ from: '2017-05-29' });
		expect(wholeWeeks({ to: '2017-05-20', min: 5 }, start)).toEqual({ to: '2017-05-21', min: 5 });
	});
});
