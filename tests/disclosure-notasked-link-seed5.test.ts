/**
 * Random seed 5's unfiltered view with four equality cross-tabs (issue #11, dis65; closed by dis67): the leak the
 * "Not asked" × week link (disclosure-families.ts sameViewFailures `notAskedWeeks`) adds to the every-pair audit. The
 * smallest set of tables that reads it (tests/helpers/unfiltered-pairs.ts greedyTables, aimed at the weeks table's week 3
 * online) is these four cross-tabs and "Responses by week". This file shows them with every page table (as the page
 * does): without the link the attacker reads nothing (143 cells hidden); with it 21 cells, week 3's online count (2,
 * "<5" in the weeks table) and week 2's (1) among them. How (true counts in brackets): "Age band by week"'s week 3
 * column shows 35 to 49 "<5" and left blank "<5" beside a hidden "Not asked" and the total 17, so week 3's answered
 * part, the online count, is at least 2 (the floor dis59's onlineWeekFloors already knows). The upper side comes from
 * "Ethnicity by week": week 3's answered part is its "Left blank" cell alone, and the "Left blank" line is a "<5" total
 * over week 1 "[c]" (1), week 2 "<5" (1) and week 3 "<5" (2). Week 1's "Left blank" is at least 1 through the
 * orientation cross-tabs: white British's total equals "Left blank" orientation's total (the ethnicity × orientation
 * cross-tab), which is 18 to 24's (the age × orientation cross-tab), so week 1's white British equals its 18 to 24 and
 * (the link: week 1's answered parts are one count) its "Left blank" ethnicity its 12 or under "<5". So week 3's "Left
 * blank" is at most 4 − 1 − 1 = 2, and the link makes the two answered parts one count (each week's "Not asked" is the
 * week's face to face, the same in every equality × week cross-tab). dis59's rules protect each cross-tab knowing the
 * others' floors; nothing shares the upper bound one cross-tab puts on a week's online count, and this one takes a
 * chain of four tables.
 *
 * Closed (dis67, lonely-equality-cells.ts, switch ANALYSIS_LONELY_EQUALITY_CELLS): every step of that chain is "<5"
 * labels and zeros the week pages publish, but one: the orientation cross-tabs' zeros around white British × "Left
 * blank" (1) and 18 to 24 × "Left blank" (1), each a "<5" alone in its row and column, which made white British,
 * "Left blank" orientation and 18 to 24 one count. With a zero of each such line hidden beside it ("[c]"), the linked
 * attacker reads nothing here (21 → 0); with ANALYSIS_LONELY_EQUALITY_CELLS=off it reads week 3's online 2 again (the
 * proof). The plain attacker reads nothing either way, so in this view the link's own cells are all that is read:
 * "the link reads no cell the view without it does not". dis66's pinned floors (pinned-floors.ts,
 * ANALYSIS_PINNED_FLOORS), merged beside it, close this view's leak on their own too, so each proof turns both off.
 */
import { expect, it } from 'vitest';
import { describeEachEngine } from './helpers/databases';
import { seedViewReads } from './helpers/disclosure-seed';

const MIN = 5;
const CROSSTABS = [
	'a=age&b=orientation&percent=none',
	'a=age&b=week&percent=none',
	'a=ethnicity&b=orientation&percent=none',
	'a=ethnicity&b=week&percent=none'
];

const unfiltered = (engine: Parameters<typeof seedViewReads>[0], notAskedWeeks: boolean) =>
	seedViewReads(engine, 5, { crosstabs: CROSSTABS, min: MIN, notAskedWeeks });

const linked = (engine: Parameters<typeof seedViewReads>[0], value?: string) =>
	seedViewReads(engine, 5, {
		crosstabs: CROSSTABS,
		min: MIN,
		notAskedWeeks: true,
		switches: { ANALYSIS_LONELY_EQUALITY_CELLS: value, ANALYSIS_PINNED_FLOORS: value }
	});

describeEachEngine('random seed 5, four equality cross-tabs with the "Not asked" × week link', (engine) => {
	it('without the link: nothing read', async () => {
		expect(await unfiltered(engine, false)).toEqual([]);
	}, 600_000);

	it('with the link: nothing read (by default)', async () => {
		expect(await linked(engine)).toEqual([]);
	}, 600_000);

	it('with the link, ANALYSIS_LONELY_EQUALITY_CELLS and ANALYSIS_PINNED_FLOORS off: week 3 online = 2 reads off (before)', async () => {
		const read = await linked(engine, 'off');
		expect(read.some((f) => /Responses by week.*Week 3 .*\/ Online = 2/.test(f))).toBe(true);
	}, 600_000);
});

// The every-pair view's second way to week 3's online count (dis67, the trace with the link and this rule's first
// form, "<5" alone in both its lines): "Gender by week" puts week 3's online at 2 or more (male and gender "Left
// blank" "<5"), and "Gender by sexual orientation" and "Gender by ethnicity", whose male and "Left blank" rows hold one
// "<5" each, tie those to "Left blank" ethnicity. A "<5" alone in one line gets a zero partner in that line too.
const GENDER_SET = [
	'a=channel&b=orientation&percent=none',
	'a=gender&b=ethnicity&percent=none',
	'a=gender&b=orientation&percent=none',
	'a=gender&b=week&percent=none',
	'a=ethnicity&b=week&percent=none'
];

const genderSet = (engine: Parameters<typeof seedViewReads>[0], notAskedWeeks: boolean, value?: string) =>
	seedViewReads(engine, 5, {
		crosstabs: GENDER_SET,
		min: MIN,
		notAskedWeeks,
		switches: { ANALYSIS_LONELY_EQUALITY_CELLS: value, ANALYSIS_PINNED_FLOORS: value }
	});

describeEachEngine('random seed 5, the gender cross-tabs with the "Not asked" × week link', (engine) => {
	it('without the link: nothing read', async () => {
		expect(await genderSet(engine, false)).toEqual([]);
	}, 600_000);

	it('with the link: nothing read (by default)', async () => {
		expect(await genderSet(engine, true)).toEqual([]);
	}, 600_000);

	it('with the link, ANALYSIS_LONELY_EQUALITY_CELLS and ANALYSIS_PINNED_FLOORS off: week 3 online = 2 reads off (before)', async () => {
		const read = await genderSet(engine, true, 'off');
		expect(read.some((f) => /Responses by week.*Week 3 .*\/ Online = 2/.test(f))).toBe(true);
	}, 600_000);
});
