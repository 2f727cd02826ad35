/**
 * The analysis switches read once per computation (switches.ts envSwitch, issue #19, helper code30): a filtered
 * page's disclosure rounds asked process.env for the same switches thousands of times (ANALYSIS_TABLE_MEMO at every
 * table built). The tables must be the same as with every read going to process.env (ANALYSIS_SWITCH_SNAPSHOT=off),
 * on both engines; a group + district dashboard reads each switch a few times a request, not thousands; and a switch
 * changed between two requests is seen by the second (read at use, per request).
 */
import { afterEach, expect, it } from 'vitest';
import { describeEachEngine } from './helpers/databases';
import { demoLikeSuite } from './helpers/demo-like';
import { parseFilters } from '../src/lib/analysis/filters';
import type { TableData } from '../src/lib/analysis/tables';
import { dashboardTables } from '../src/lib/server/analysis/registry';
import { scopeOf } from '../src/lib/server/analysis/scope';

const realEnv = process.env;

/** process.env read through a proxy that counts the reads of each name (put back after each test). */
function countEnvReads(): Map<string, number> {
	const reads = new Map<string, number>();
	process.env = new Proxy(realEnv, {
		get(target, name) {
			if (typeof name === 'string') reads.set(name, (reads.get(name) ?? 0) + 1);
			return Reflect.get(target, name);
		}
	});
	return reads;
}

describeEachEngine('analysis switches read once per computation', (engine) => {
	const data = demoLikeSuite(engine, {
		env: { ANALYSIS_CACHE: 'off' },
		restore: ['ANALYSIS_SWITCH_SNAPSHOT', 'ANALYSIS_TABLE_MEMO']
	});
	afterEach(() => {
		process.env = realEnv;
	});

	/** The dashboard of one request, one JSON string per table. */
	async function dashboard(qs: string): Promise<string[]> {
		const filters = parseFilters(new URLSearchParams(qs));
		const s = scopeOf(data.fx.c, filters);
		const out: TableData[] = await dashboardTables(data.fresh.db, data.fx.c, filters, '/b', s);
		return out.map((t) => JSON.stringify(t));
	}

	const views = () => {
		const group = data.fx.c.groups[0].code;
		const [d1, d2] = data.fx.c.districts.map((d) => d.code);
		return [`district=${d1}`, `group=${group}&district=${d2}`, `group=${group}&channel=online`, `district=${d1}&min=8`];
	};

	it('shows the same tables as when every switch is read at every use', async () => {
		for (const qs of views()) {
			delete process.env.ANALYSIS_SWITCH_SNAPSHOT;
			const snapshot = await dashboard(qs);
			process.env.ANALYSIS_SWITCH_SNAPSHOT = 'off';
			const every = await dashboard(qs);
			expect(snapshot, qs).toEqual(every);
		}
	}, 600_000);

	it('reads each switch a few times a request, not at every table', async () => {
		delete process.env.ANALYSIS_SWITCH_SNAPSHOT;
		const [, qs] = views();
		const reads = countEnvReads();
		await dashboard(qs);
		process.env = realEnv;
		// Before: ANALYSIS_TABLE_MEMO was read at every table built (builtOnce, sameInputs: thousands a request) and
		// ANALYSIS_SIBLING_RETRY at every line of every sibling round.
		const most = Math.max(
			...['ANALYSIS_TABLE_MEMO', 'ANALYSIS_SIBLING_RETRY', 'ANALYSIS_STRUCTURAL_ZEROS'].map((n) => reads.get(n) ?? 0)
		);
		expect(reads.get('ANALYSIS_TABLE_MEMO') ?? 0).toBeGreaterThan(0);
		expect(most, JSON.stringify([...reads].filter(([n]) => n.startsWith('ANALYSIS_')))).toBeLessThanOrEqual(100);
		// With the snapshot off, every use reads process.env (the old way), which is what makes the difference.
		process.env.ANALYSIS_SWITCH_SNAPSHOT = 'off';
		const everyReads = countEnvReads();
		await dashboard(qs);
		expect(everyReads.get('ANALYSIS_TABLE_MEMO') ?? 0).toBeGreaterThan(most);
	}, 600_000);

	it('sees a switch changed between two requests', async () => {
		delete process.env.ANALYSIS_SWITCH_SNAPSHOT;
		const [, qs] = views();
		process.env.ANALYSIS_TABLE_MEMO = 'on';
		const first = countEnvReads();
		await dashboard(qs);
		process.env = realEnv;
		process.env.ANALYSIS_TABLE_MEMO = 'off';
		const second = countEnvReads();
		await dashboard(qs);
		process.env = realEnv;
		delete process.env.ANALYSIS_TABLE_MEMO;
		// Each request reads the switch again (the second finds it off: every table built every time, more reads of
		// the switches the builds ask for).
		expect(first.get('ANALYSIS_TABLE_MEMO') ?? 0).toBeGreaterThan(0);
		expect(second.get('ANALYSIS_TABLE_MEMO') ?? 0).toBeGreaterThan(0);
	}, 600_000);
});
