import { describe, expect, it } from 'vitest';
import { onlineTotalBounds } from './online-total';
import type { PageSide } from './page-hides';
import { cellKey, type TableData } from './tables';

type Row = [key: string, n: number, text: string];

/** A one-column table as shown (text "[c]", "<5" or the count) with its true counts. */
function side(id: string, rows: Row[], total: number): PageSide {
	const table = {
		id,
		columns: [{ key: 'n', label: 'n' }],
		rows: rows.map(([key, n, text]) => ({
			key,
			label: key,
			cells: [{ n: text === String(n) ? n : null, pct: null, text, suppressed: text !== String(n) }]
		}))
	} as unknown as TableData;
	const by = new Map(rows.map(([k, n]) => [k, n]));
	return { table, n: (k) => by.get(k) ?? 0, total };
}

describe('onlineTotalBounds (issue #11, week seed 27 with every pair, dis57)', () => {
	// Week 3 of seed 27: "Channel by sexual orientation", online 6 not asked (under 16) and 4 left blank; library 1 and
	// event 3, never asked.
	const counts: Record<string, number> = {
		'online|not_asked': 6,
		'online|left_blank': 4,
		'library|not_asked': 1,
		'event|not_asked': 3
	};
	const count = (r: string, c: string) => counts[`${r}|${c}`] ?? 0;
	const rows = ['online', 'library', 'school', 'event'].map((key) => ({ key }));
	const columns = ['not_asked', 'left_blank'].map((key) => ({ key }));
	const channels = (totalText = '14') =>
		side(
			'channels',
			[
				['online', 10, '[c]'],
				['library', 1, '<5'],
				['event', 3, '<5'],
				['_total', 14, totalText]
			],
			14
		);
	// "Ethnicity": not asked "<5" (4), total asked "[c]" (10).
	const ethnicity = (notAsked = '<5', asked = '[c]') =>
		side(
			'eq-ethnicity',
			[
				['left_blank', 10, '[c]'],
				['not_asked', 4, notAsked],
				['_asked', 10, asked]
			],
			14
		);
	// "Sexual orientation": not asked 10 (face to face and the under-16s), total asked 4: not the channels' counts.
	const orientation = side(
		'eq-orientation',
		[
			['left_blank', 4, '<5'],
			['not_asked', 10, '[c]'],
			['_asked', 4, '<5']
		],
		14
	);

	it('bounds the online total by the view total less a "Not asked" "<5"', () => {
		const out = onlineTotalBounds(rows, columns, count, 'rows', channels(), [orientation, ethnicity()], 5);
		expect([...out!.bounds]).toEqual([[cellKey('online', '_total'), [10, 13]]]);
		expect(out!.hide.size).toBe(0);
	});

	it('a shown "Not asked" or "Total asked" pins it; the turned table the same', () => {
		const turned = (r: string, c: string) => count(c, r);
		expect([...onlineTotalBounds(columns, rows, turned, 'columns', channels(), [ethnicity('4')], 5)!.bounds]).toEqual([
			[cellKey('_total', 'online'), [10, 10]]
		]);
		expect([
			...onlineTotalBounds(rows, columns, count, 'rows', channels(), [ethnicity('[c]', '10')], 5)!.bounds
		]).toEqual([[cellKey('online', '_total'), [10, 10]]]);
	});

	it('nothing from a table whose counts are not the channels\', nor from "Not asked" without the view total', () => {
		expect(onlineTotalBounds(rows, columns, count, 'rows', channels(), [orientation], 5)).toBeUndefined();
		expect(onlineTotalBounds(rows, columns, count, 'rows', channels('[c]'), [ethnicity()], 5)).toBeUndefined();
		expect(onlineTotalBounds(rows, columns, count, undefined, channels(), [ethnicity()], 5)).toBeUndefined();
		// Nobody online (the face-to-face channel's view).
		const none = (r: string, c: string) => (r === 'online' ? 0 : count(r, c));
		const f2f = side(
			'eq-ethnicity',
			[
				['not_asked', 4, '4'],
				['_asked', 0, '0']
			],
			4
		);
		const ch = side(
			'channels',
			[
				['online', 0, '0'],
				['_total', 4, '4']
			],
			4
		);
		expect(onlineTotalBounds(rows, columns, none, 'rows', ch, [f2f], 5)).toBeUndefined();
	});
});
