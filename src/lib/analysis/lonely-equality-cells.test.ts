import { describe, expect, it } from 'vitest';
import { lonelyEqualityPartners } from './lonely-equality-cells';
import { cellKey } from './tables';

const cats = (...keys: string[]) => [...keys.map((key) => ({ key })), { key: '_total' }];
const counts = (table: Record<string, number>) => (r: string, c: string) => table[`${r}|${c}`] ?? 0;

describe('lonelyEqualityPartners (issue #11, random seed 5 with the "Not asked" × week link, dis67)', () => {
	// Seed 5's "Ethnicity by sexual orientation": white British × "Left blank" (1) alone in its row and column.
	const rows = cats('white-british', 'not_asked', 'left_blank');
	const columns = cats('not_asked', 'left_blank');
	const count = counts({ 'white-british|left_blank': 1, 'not_asked|not_asked': 53, 'left_blank|not_asked': 4 });

	it('hides a zero of the row and one of the column, never a zero everyone knows', () => {
		const out = lonelyEqualityPartners('ethnicity', 'orientation', rows, columns, count, 5);
		// "Not asked" ethnicity × "Left blank" orientation is 0 by design (notAskedZero): the column's zero is "Left blank".
		expect([...(out?.hide ?? [])]).toEqual([
			cellKey('white-british', 'not_asked'),
			cellKey('left_blank', 'left_blank')
		]);
		expect(out?.bounds.size).toBe(0);
	});

	it('an answered orientation under 16 is never asked: not a partner', () => {
		const ages = cats('under-13', '18-24', '35-49', 'not_asked');
		const c = counts({
			'under-13|not_asked': 2,
			'18-24|left_blank': 1,
			'35-49|not_asked': 1,
			'not_asked|not_asked': 53
		});
		const out = lonelyEqualityPartners('age', 'orientation', ages, columns, c, 5);
		expect([...(out?.hide ?? [])]).toEqual([cellKey('18-24', 'not_asked'), cellKey('35-49', 'left_blank')]);
	});

	it('a "<5" alone in one line only: a zero of that line (every-pair seed 5, "Gender by sexual orientation")', () => {
		const genders = cats('female', 'male', 'not_asked', 'left_blank');
		const c = counts({
			'female|not_asked': 1,
			'female|left_blank': 1,
			'male|not_asked': 1,
			'not_asked|not_asked': 53,
			'left_blank|not_asked': 1
		});
		// Male and gender "Left blank" alone in their rows: their "Left blank" orientation zeros. "Left blank"
		// orientation's column: female's "<5" alone in it (female's row is not): "Male" is that column's first zero.
		const out = lonelyEqualityPartners('gender', 'orientation', genders, columns, c, 5);
		expect([...(out?.hide ?? [])]).toEqual([cellKey('male', 'left_blank'), cellKey('left_blank', 'left_blank')]);
	});

	it('nothing where the "<5" shares both its lines, the count is min or more, or a dimension is not an equality question', () => {
		const shared = counts({
			'white-british|left_blank': 1,
			'white-british|not_asked': 2,
			'left_blank|left_blank': 2,
			'left_blank|not_asked': 4,
			'not_asked|not_asked': 53
		});
		expect(lonelyEqualityPartners('ethnicity', 'orientation', rows, columns, shared, 5)).toBeUndefined();
		const big = counts({ 'white-british|left_blank': 5, 'not_asked|not_asked': 53 });
		expect(lonelyEqualityPartners('ethnicity', 'orientation', rows, columns, big, 5)).toBeUndefined();
		expect(lonelyEqualityPartners('district', 'orientation', rows, columns, count, 5)).toBeUndefined();
		expect(lonelyEqualityPartners('ethnicity', 'orientation', rows, columns, count, 0)).toBeUndefined();
	});
});
