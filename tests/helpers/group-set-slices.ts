/**
 * The set-up the group-set slice tests share (analysis-set-slices, analysis-set-pairs): a describe block's
 * demo-like database with the cache off, the scope readers of a scope with one switch and the aggregates on (unless
 * told otherwise), and the comparison of every group's readers with the readers under other switches. The switch
 * and the aggregates' switch are put back as they were after the block.
 */
import { expect } from 'vitest';
import type { Dimension } from '../../src/lib/analysis/dimensions';
import type { Engine } from './databases';
import { demoLikeSuite } from './demo-like';
import { scopeReaders } from './scope-readers';

export function groupSetSlicesSuite(engine: Engine['name'], flag: string, pairs: [Dimension, Dimension][]) {
	const data = demoLikeSuite(engine, {
		env: { ANALYSIS_CACHE: 'off' },
		restore: [flag, 'ANALYSIS_AGGREGATES']
	});
	/** Every table the scope of `qs` gives, with `flag` and the aggregates on and then the variables of `env` set. */
	const readers = async (qs: string, env: Record<string, string>) => {
		Object.assign(process.env, { [flag]: 'on', ANALYSIS_AGGREGATES: 'on', ...env });
		return scopeReaders(data.fresh.db, data.fx.c, qs, pairs);
	};

	/**
	 * For every group (and "not known"), unfiltered and under a district and a channel filter: the readers with the
	 * switch on give what they give under each of `references` (in that order); and the tables compared are not empty.
	 */
	async function expectEveryGroupAs(references: Record<string, string>[]) {
		const groups = [...data.fx.c.groups.map((g) => g.code), 'unknown'];
		const d = data.fx.c.districts[0].code;
		let rows = 0;
		for (const rest of ['min=5', `district=${d}&min=5`, 'channel=library&min=5']) {
			for (const g of groups) {
				const qs = `group=${g}&${rest}`;
				const fast = await readers(qs, {});
				for (const env of references) expect(fast, `${qs} ${JSON.stringify(env)}`).toEqual(await readers(qs, env));
				rows += (fast.districts as string[]).length + (fast.equality as string[]).length;
			}
		}
		// Not a comparison of empty tables.
		expect(rows).toBeGreaterThan(100);
	}

	return { data, readers, expectEveryGroupAs };
}
