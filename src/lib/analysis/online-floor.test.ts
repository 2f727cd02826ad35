import { describe, expect, it } from 'vitest';
import { answeredFloor, onlineFloorLabels } from './online-floor';
import { cellKey } from './tables';
import { shownCrossTab as table } from './shown-table-fixture';

describe('onlineFloorLabels', () => {
	// Random seed 10's "District by channel" (its Bromsgrove and Redditch rows): Bromsgrove's online, library and event
	// "<5" beside its total "<5"; "Gender by district" says Bromsgrove's online is at least 2 (female and left blank).
	const t = table(['online', 'library', 'school', 'event'], {
		bromsgrove: [
			[2, '<5'],
			[1, '<5'],
			[0, ''],
			[1, '<5'],
			[4, '<5']
		],
		redditch: [
			[1, '<5'],
			[0, ''],
			[0, ''],
			[0, ''],
			[1, '<5']
		],
		_total: [
			[3, '<5'],
			[32, ''],
			[16, ''],
			[1, '<5'],
			[52, '[c]']
		]
	});

	it('reads one "<5" of a line its floors pin "[c]", not the floored cell', () => {
		const floors = new Map([
			[cellKey('bromsgrove', 'online'), 2],
			[cellKey('redditch', 'online'), 1]
		]);
		const keys = onlineFloorLabels(t, floors, 5);
		expect([...keys]).toEqual([cellKey('bromsgrove', 'library')]);
	});

	it('leaves a line its floors do not pin', () => {
		expect(onlineFloorLabels(t, new Map([[cellKey('bromsgrove', 'online'), 1]]), 5).size).toBe(0);
	});

	it('counts an answered cell of min or more as itself, a small one as 1', () => {
		expect([0, 1, 4, 5, 9].map((n) => answeredFloor(n, 5))).toEqual([0, 1, 1, 5, 9]);
	});
});
