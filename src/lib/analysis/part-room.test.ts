import { describe, expect, it } from 'vitest';
import { partRoom } from './part-floor';

const shown = (n: number) => ({ n, hidden: false });
const hidden = (n: number) => ({ n, hidden: true });

describe("partRoom: a hidden margin bounded by the channels table's whole line", () => {
	it('dis38\'s grand total: "[c]" (36) over online "<5" (4), library 8, school "<5" (4), event 20 is room below', () => {
		// The rows cap the total at 36, its count: the weeks table must keep room for 35.
		const rows = [hidden(4), shown(8), hidden(4), shown(20)];
		expect(partRoom([hidden(36)], { plus: rows, minus: [] }, 5)).toEqual([30, 36]);
		// Online "<5" (4) at its label's top, the total "[c]": at least 1.
		expect(partRoom([hidden(4)], { plus: [hidden(36)], minus: [shown(8), hidden(4), shown(20)] }, 5)).toEqual([1, 4]);
		// "Face to face and other" 32: library 8 + school "<5" + event 20, at most 32.
		expect(partRoom([shown(8), hidden(4), shown(20)], { plus: [hidden(36)], minus: [hidden(4)] }, 5)).toEqual([29, 32]);
	});
	it('seed 263\'s face to face: as partFloor where the labels leave room above (library "<5" (3) beside event 18)', () => {
		expect(partRoom([hidden(3), shown(18)], { plus: [hidden(36)], minus: [hidden(15)] }, 5)).toEqual([21, 22]);
		// The total shown and online "[c]" cap it no lower than the labels.
		expect(partRoom([hidden(3), shown(18)], { plus: [shown(36)], minus: [hidden(15)] }, 5)).toEqual([21, 22]);
	});
	it('the line caps the margin below its own labels: the shown total less the other rows at least', () => {
		// Online "[c]" (15) alone says nothing above; total 36 shown less library "<5" and event 18 says at most 17.
		expect(partRoom([hidden(15)], { plus: [shown(36)], minus: [hidden(3), shown(18)] }, 5)).toEqual([15, 17]);
	});
	it('nothing where nothing of the part is hidden, the threshold is 0, or the labels leave one value', () => {
		expect(partRoom([shown(8), shown(20)], { plus: [hidden(36)], minus: [hidden(8)] }, 5)).toBeUndefined();
		expect(partRoom([hidden(3)], { plus: [], minus: [] }, 0)).toBeUndefined();
		// Online "<5" (1) and the total shown less the shown rows: one value either way.
		expect(partRoom([hidden(1)], { plus: [shown(21)], minus: [shown(20)] }, 5)).toBeUndefined();
	});
});
