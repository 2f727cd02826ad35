/**
 * The scan of dis58 (docs/analysis.md, "The unfiltered "Disability by week" against the weeks table's face-to-face
 * column"), committed (issue #11, dis59): the unfiltered view of random seeds (tests/helpers/disclosure-random.ts) with
 * the five equality × week cross-tabs, solved by the same-view attacker (disclosure-families.ts sameViewFailures)
 * without and with its `notAskedWeeks` link (the weeks table's face-to-face cell of week w and every equality × week
 * cross-tab's "Not asked" × week w cell are one count). Each seed is built twice, with the switch named by
 * DISCLOSURE_NOTASKED_SCAN_SWITCH (default ANALYSIS_NOT_ASKED_WEEK_SIDES) `=off` and removed from the environment (the
 * default), each in a fresh database. It logs what each reads and the cells hidden, and expects the default to read
 * nothing with either attacker.
 *
 * Opt-in (a few seconds a seed and setting): DISCLOSURE_NOTASKED_SCAN=1; DISCLOSURE_NOTASKED_SCAN_SEEDS="2,5,12" or
 * "1-30" (default 1-30). SQLite only unless DISCLOSURE_NOTASKED_SCAN_POSTGRES=1.
 */
import { describe, expect, it } from 'vitest';
import { ENGINES } from './helpers/databases';
import { withEnv } from './helpers/env';
import { scanSeed } from './helpers/notasked-weeks-scan';

const SCAN = process.env.DISCLOSURE_NOTASKED_SCAN === '1';
const SWITCH = process.env.DISCLOSURE_NOTASKED_SCAN_SWITCH ?? 'ANALYSIS_NOT_ASKED_WEEK_SIDES';

/** "1-30", "2,5,12" or a mix ("1-3,12") as a list of seeds. */
function seedsOf(spec: string): number[] {
	return spec.split(',').flatMap((part) => {
		const [lo, hi] = part.split('-').map(Number);
		return hi === undefined ? [lo] : Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
	});
}
const SEEDS = seedsOf(process.env.DISCLOSURE_NOTASKED_SCAN_SEEDS ?? '1-30');
const POSTGRES = process.env.DISCLOSURE_NOTASKED_SCAN_POSTGRES === '1';

for (const engine of ENGINES)
	describe.skipIf(!SCAN || !engine.available || (engine.name === 'postgres' && !POSTGRES))(
		`the unfiltered view with the equality × week cross-tabs, random seeds [${engine.name}]`,
		() => {
			it(`reads nothing by default, with or without the "Not asked" × week link (${SWITCH} off → default)`, async () => {
				const open: string[] = [];
				const lines: string[] = [];
				for (const seed of SEEDS) {
					const off = await withEnv(SWITCH, 'off', () => scanSeed(engine.name, seed));
					const on = await withEnv(SWITCH, undefined, () => scanSeed(engine.name, seed));
					lines.push(
						`seed ${seed}: plain ${off.plain.length} → ${on.plain.length}, linked ${off.linked.length} → ${on.linked.length}, hidden ${off.hidden} → ${on.hidden}`
					);
					for (const f of [...on.plain.map((x) => `plain ${x}`), ...on.linked.map((x) => `linked ${x}`)])
						open.push(`seed ${seed}: ${f}`);
				}
				console.log(`${engine.name} ${SWITCH} off → default\n${lines.join('\n')}\n${open.join('\n')}`);
				expect(open).toEqual([]);
			}, 3_600_000);
		}
	);
