import { describe, expect, it } from 'vitest';
import { notAskedZero, structuralZeroBounds } from './structural-zeros';
import { cellKey } from './tables';

const k = cellKey;

describe('"Not asked" × answered of two equality questions as structural zeros (issue #11, dis63)', () => {
	it('notAskedZero: "Not asked" on age, gender, disability or ethnicity beside an answered category', () => {
		expect(notAskedZero('gender', 'age', 'not_asked', '12-under')).toBe(true);
		expect(notAskedZero('gender', 'age', 'male', 'not_asked')).toBe(true);
		expect(notAskedZero('disability', 'ethnicity', 'left_blank', 'not_asked')).toBe(true);
		expect(notAskedZero('gender', 'orientation', 'not_asked', 'left_blank')).toBe(true);
		// Sexual orientation is also not asked of an online respondent under 16 or answering as a child.
		expect(notAskedZero('gender', 'orientation', 'male', 'not_asked')).toBe(false);
		expect(notAskedZero('orientation', 'age', 'not_asked', '13-15')).toBe(false);
		// "Not asked" on both, the margins, a dimension that is no equality question: not such a cell.
		expect(notAskedZero('gender', 'age', 'not_asked', 'not_asked')).toBe(false);
		expect(notAskedZero('gender', 'age', 'not_asked', '_total')).toBe(false);
		expect(notAskedZero('gender', 'age', '_total', 'not_asked')).toBe(false);
		expect(notAskedZero('gender', 'channel', 'not_asked', 'online')).toBe(false);
		expect(notAskedZero('district', 'age', 'x', 'not_asked')).toBe(false);
	});

	it('structuralZeroBounds: in the view with every channel, exact zeros there (where the count is 0), and only with the rule', () => {
		const rows = [{ key: 'female' }, { key: 'male' }, { key: 'not_asked' }];
		const columns = [{ key: '12-under' }, { key: '18-24' }, { key: 'not_asked' }];
		const counts: Record<string, number> = { 'female|12-under': 4, 'male|18-24': 2, 'not_asked|not_asked': 27 };
		const count = (r: string, c: string) => counts[`${r}|${c}`] ?? 0;
		const b = structuralZeroBounds('gender', 'age', rows, columns, count, undefined, true)!;
		expect([...b.bounds.keys()].sort()).toEqual(
			[k('female', 'not_asked'), k('male', 'not_asked'), k('not_asked', '12-under'), k('not_asked', '18-24')].sort()
		);
		expect(b.bounds.get(k('not_asked', '12-under'))).toEqual([0, 0]);
		// A count that is not 0 is no such zero (a check, should the survey change).
		const odd = structuralZeroBounds(
			'gender',
			'age',
			rows,
			columns,
			(r, c) => (r === 'not_asked' ? 1 : count(r, c)),
			undefined,
			true
		)!;
		expect(odd.bounds.has(k('not_asked', '12-under'))).toBe(false);
		// ANALYSIS_STRUCTURAL_NOT_ASKED=off: nothing in the view with every channel (before).
		expect(structuralZeroBounds('gender', 'age', rows, columns, count, undefined, false)).toBeUndefined();
	});
});
