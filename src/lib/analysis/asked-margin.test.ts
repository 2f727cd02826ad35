import { describe, expect, it } from 'vitest';
import { askedMarginBounds } from './asked-margin';
import type { PageSide } from './page-hides';
import { cellKey, type TableData } from './tables';

/** An equality table ("Gender"): its categories, then "Total asked" shown or hidden; true counts alongside. */
function gender(rows: [string, number][], askedHidden: boolean): PageSide {
	const asked = rows.filter(([k]) => k !== 'not_asked').reduce((t, [, n]) => t + n, 0);
	const all: [string, number, boolean][] = [
		...rows.map(([k, n]) => [k, n, true] as [string, number, boolean]),
		['_asked', asked, askedHidden]
	];
	const table = {
		id: 'eq-gender',
		columns: [{ key: 'n', label: 'n' }],
		rows: all.map(([key, n, hidden]) => ({
			key,
			label: key,
			cells: [{ n: hidden ? null : n, pct: null, text: hidden ? '[c]' : String(n), suppressed: hidden }]
		}))
	} as unknown as TableData;
	const by = new Map(rows);
	return { table, n: (k) => (k === '_asked' ? asked : (by.get(k) ?? 0)), total: asked + (by.get('not_asked') ?? 0) };
}

describe('askedMarginBounds (issue #11, random seed 29 with the equality cross-tabs, dis56)', () => {
	// Seed 29's group=other: "Gender by channel", male 3 and prefer not to say 2 online, 4 at the library, 1 at an event.
	const counts: Record<string, number> = {
		'male|online': 3,
		'prefer_not_to_say|online': 2,
		'not_asked|library': 4,
		'not_asked|event': 1
	};
	const count = (r: string, c: string) => counts[`${r}|${c}`] ?? 0;
	const rows = ['female', 'male', 'not_asked', 'prefer_not_to_say', 'left_blank'].map((key) => ({ key }));
	const columns = ['online', 'library', 'school', 'event'].map((key) => ({ key }));
	const side = (hidden: boolean) =>
		gender(
			[
				['female', 0],
				['male', 3],
				['not_asked', 5],
				['prefer_not_to_say', 2],
				['left_blank', 0]
			],
			hidden
		);

	it('knows the online total where the equality table shows "Total asked"', () => {
		const out = askedMarginBounds(rows, columns, count, { rows: side(false) }, 'columns');
		expect([...out!.bounds]).toEqual([[cellKey('_total', 'online'), [5, 5]]]);
		expect(out!.hide.size).toBe(0);
	});

	it('the same turned round (channel as rows)', () => {
		const turned = (r: string, c: string) => count(c, r);
		const out = askedMarginBounds(columns, rows, turned, { columns: side(false) }, 'rows');
		expect([...out!.bounds]).toEqual([[cellKey('online', '_total'), [5, 5]]]);
	});

	it('adds nothing where "Total asked" is hidden, or no side is the channel', () => {
		expect(askedMarginBounds(rows, columns, count, { rows: side(true) }, 'columns')).toBeUndefined();
		expect(askedMarginBounds(rows, columns, count, { rows: side(false) }, undefined)).toBeUndefined();
	});
});
