/**
 * The rest of a cross-tab line nested in one value of the third dimension (issue #11, the random audit's seed 176;
 * src/lib/analysis/nested.ts nestedHides). Pure: seed 176's Wyre Forest row of the unfiltered "District by channel"
 * in small, with the respondent types' pages as the third dimension.
 */
import { describe, expect, it } from 'vitest';
import { nestedHides, type NestedSlice } from '../src/lib/analysis/nested';
import { cellKey } from '../src/lib/analysis/tables';

const MIN = 5;
const CHANNELS = ['online', 'library', 'school', 'event'];
const DISTRICTS = ['wyre-forest', 'wychavon'];

/** A respondent type's page: its cells of the district × channel cross-tab, and its counts of each side. */
function slice(cells: Record<string, Record<string, number>>): NestedSlice {
	const inner = new Map<string, number>();
	const sideA = new Map<string, number>();
	const sideB = new Map<string, number>();
	for (const [d, row] of Object.entries(cells))
		for (const [c, n] of Object.entries(row)) {
			inner.set(cellKey(d, c), n);
			sideA.set(d, (sideA.get(d) ?? 0) + n);
			sideB.set(c, (sideB.get(c) ?? 0) + n);
		}
	return { inner, sideA, sideB };
}

/** The unfiltered cross-tab's counts: the slices added up (each submission of one type here). */
function unfiltered(slices: NestedSlice[]) {
	return (d: string, c: string) => slices.reduce((t, x) => t + (x.inner.get(cellKey(d, c)) ?? 0), 0);
}

const rows = DISTRICTS.map((key) => ({ key }));
const columns = CHANNELS.map((key) => ({ key }));
const districtByChannel = { a: 'district', b: 'channel', third: 'group' } as const;

/**
 * Seed 176: Wyre Forest 18, 12 online; the "other" respondents 10 in Wyre Forest, 4 online and all 6 face-to-face ones
 * (school 5, event 1); the practitioners' 7 and a young person's 1 all online. Wychavon mixed, so nothing there.
 */
const seed176 = [
	slice({ 'wyre-forest': { online: 4, school: 5, event: 1 }, wychavon: { online: 3 } }),
	slice({ 'wyre-forest': { online: 7 }, wychavon: { online: 2, library: 1 } }),
	slice({ 'wyre-forest': { online: 1 }, wychavon: { school: 6 } })
];

/** What an onlooker reads off the published counts: the "other" page's count less the row's rest (total less the cell). */
function readOff(slices: NestedSlice[], hide: Set<string>): number | undefined {
	const count = unfiltered(slices);
	if (hide.has(cellKey('wyre-forest', 'online'))) return undefined;
	const total = CHANNELS.reduce((t, c) => t + count('wyre-forest', c), 0);
	// Every other type's face-to-face Wyre Forest slices read 0: the rest is all the "other" type's.
	return slices[0].sideA.get('wyre-forest')! - (total - count('wyre-forest', 'online'));
}

describe('disclosure control: the rest of a cross-tab line nested in one value', () => {
	it("seed 176 in small: District by channel hides Wyre Forest × online, whose row's rest is one type's", () => {
		const count = unfiltered(seed176);
		const before = nestedHides(districtByChannel, rows, columns, count, seed176, MIN, { cells: true, rests: false });
		// Before: nothing hidden, and 10 − (18 − 12) gives the "other" online slice's Wyre Forest 4.
		expect(readOff(seed176, before)).toBe(4);
		const after = nestedHides(districtByChannel, rows, columns, count, seed176, MIN);
		expect(before.has(cellKey('wyre-forest', 'online'))).toBe(false);
		expect(after.has(cellKey('wyre-forest', 'online'))).toBe(true);
		// Nothing else changes.
		expect([...after].filter((k) => !before.has(k))).toEqual([cellKey('wyre-forest', 'online')]);
		expect(readOff(seed176, after)).toBeUndefined();
	});

	it('nothing where the rest is spread over two types, or the difference is not small', () => {
		// A practitioner came to a Wyre Forest event: the face-to-face rest is no longer one type's.
		const spread = [
			seed176[0],
			slice({ 'wyre-forest': { online: 7, event: 1 }, wychavon: { online: 2, library: 1 } }),
			seed176[2]
		];
		const online = cellKey('wyre-forest', 'online');
		expect(nestedHides(districtByChannel, rows, columns, unfiltered(spread), spread, MIN).has(online)).toBe(false);
		// The "other" respondents' online Wyre Forest count is 5: not small, shown anyway.
		const big = [slice({ 'wyre-forest': { online: 5, school: 5, event: 1 } }), seed176[1], seed176[2]];
		expect(nestedHides(districtByChannel, rows, columns, unfiltered(big), big, MIN).has(online)).toBe(false);
	});

	it('one cross-tab of the two that publish the pivot hides it: not "Respondent types by district"', () => {
		// The same fact read in respondent type × district with the channels as the third dimension: the column's rest
		// (the other types' Wyre Forest) all online. That cross-tab leaves it to District by channel (PAGE_ORDER).
		const groups = ['other', 'practitioner', 'young_person'];
		const byChannel = CHANNELS.map((c) =>
			slice(
				Object.fromEntries(
					groups.map((g, i) => [
						g,
						Object.fromEntries(DISTRICTS.map((d) => [d, seed176[i].inner.get(cellKey(d, c)) ?? 0]))
					])
				)
			)
		);
		const typesByDistrict = { a: 'group', b: 'district', third: 'channel' } as const;
		const count = unfiltered(byChannel);
		const gRows = groups.map((key) => ({ key }));
		const off = { cells: true, rests: false };
		expect([...nestedHides(typesByDistrict, gRows, rows, count, byChannel, MIN)]).toEqual([
			...nestedHides(typesByDistrict, gRows, rows, count, byChannel, MIN, off)
		]);
	});
});
