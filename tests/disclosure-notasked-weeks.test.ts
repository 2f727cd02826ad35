/**
 * Week seed 24's unfiltered view with equality cross-tabs (issue #11, dis58; dis55's last paragraph). "Disability by
 * week"'s week 2 column read yes "<5" (3), no 10, not asked "[c]" (7), left blank 0, total 20: its protection took
 * "Not asked" × week 2 as the one partner of the "<5". But "Responses by week" shows week 2's face to face 7, the same
 * count (only the online survey asks the equality questions: save.ts equalityColumns), so 20 − 10 − 7 − 0 = 3. The
 * attacker links the two (sameViewFailures `notAskedWeeks`); the fix bounds an equality × week cross-tab's "Not asked"
 * × week cells by the weeks table's face-to-face column (not-asked-bounds.ts notAskedWeekBounds). The first test runs
 * the default (no ANALYSIS_NOT_ASKED_WEEKS in the environment); with `=off` the 3 reads off again (the proof that the
 * attacker finds the leak). Both engines.
 */
import { expect, it } from 'vitest';
import { describeEachEngine } from './helpers/databases';
import { seedViewReads } from './helpers/disclosure-seed';

const MIN = 5;
const CROSSTABS = [
	'a=disability&b=ethnicity&percent=none',
	'a=disability&b=week&percent=none',
	'a=ethnicity&b=week&percent=none'
];
const SWITCH = 'ANALYSIS_NOT_ASKED_WEEKS';

const unfiltered = (engine: Parameters<typeof seedViewReads>[0], value: string | undefined) =>
	seedViewReads(engine, 24, { crosstabs: CROSSTABS, min: MIN, notAskedWeeks: true, switches: { [SWITCH]: value } });

describeEachEngine('week seed 24, the unfiltered week cross-tabs against the weeks table', (engine) => {
	it('by default: no "Not asked" × week cell the weeks table shows is a partner', async () => {
		expect(await unfiltered(engine, undefined)).toEqual([]);
	}, 600_000);

	it(`with ${SWITCH}=off (before): "Yes" × week 2 = 3 reads off`, async () => {
		const failures = await unfiltered(engine, 'off');
		expect(failures.some((f) => /Disability by week .*: Yes \/ Week 2 .* = 3 /.test(f))).toBe(true);
	}, 600_000);
});
