/**
 * Times every query the pg driver runs in this process, at the driver (scripts/bench/slow-queries.ts,
 * scripts/analysis-shapes.ts): pg.Client.prototype.query is wrapped once, and each query that succeeds is pushed,
 * with its SQL text and parameters, to the array returned.
 */
import pg from 'pg';

export interface QueryTiming {
	ms: number;
	text: string;
	values: unknown[];
}

export function timePgQueries(): QueryTiming[] {
	const timings: QueryTiming[] = [];
	type Query = (this: pg.Client, ...args: unknown[]) => unknown;
	const original = pg.Client.prototype.query as unknown as Query;
	(pg.Client.prototype as unknown as { query: Query }).query = function (this: pg.Client, ...args: unknown[]) {
		const [config, values] = args as [string | { text: string; values?: unknown[] }, unknown[] | undefined];
		const text = typeof config === 'string' ? config : config.text;
		const vals = (typeof config === 'string' ? values : (config.values ?? values)) ?? [];
		const t = performance.now();
		const out = original.apply(this, args);
		if (out && typeof (out as Promise<unknown>).then === 'function')
			(out as Promise<unknown>).then(
				() => timings.push({ ms: performance.now() - t, text, values: vals }),
				() => undefined
			);
		return out;
	};
	return timings;
}
