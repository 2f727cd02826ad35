/**
 * Statistics for "check a sample": how well the machine's themes agree with an officer's on a
 * random sample of machine-coded answers, with 95% intervals an officer can quote.
 * Pure TypeScript (no framework, no database); unit-tested against hand-computed intervals.
 *
 * - Units: (answer, theme) pairs. tp = the machine gave the theme and the officer kept it;
 *   fp = the machine gave it and the officer took it away; fn = the officer added it.
 * - Precision tp/(tp+fp) and recall tp/(tp+fn) get a Wilson score interval (Wilson 1927).
 *   It treats the pairs as independent; pairs from one answer are not quite, so the interval is
 *   slightly too narrow when answers carry several themes (stated on the page).
 * - F1 = 2tp/(2tp+fp+fn) is not a proportion: its interval is a percentile bootstrap that
 *   resamples ANSWERS (so the within-answer dependence is kept), 2,000 resamples, fixed seed.
 */
import { Z_95 } from './stats';
import { seededRandom } from '../util/random';

export interface Interval {
	lo: number;
	hi: number;
}

/** Wilson score interval for k successes in n trials; null when n = 0. */
export function wilson(k: number, n: number, z = Z_95): Interval | null {
	if (!(n > 0)) return null;
	if (k < 0 || k > n) throw new RangeError(`wilson: k=${k} is outside 0..${n}`);
	const p = k / n;
	const z2 = z * z;
	const denom = 1 + z2 / n;
	const centre = (p + z2 / (2 * n)) / denom;
	const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
	return { lo: k === 0 ? 0 : Math.max(0, centre - half), hi: k === n ? 1 : Math.min(1, centre + half) };
}

/** One checked answer: the machine's theme ids and the officer's. */
export interface CheckedAnswer {
	machine: readonly (string | number)[];
	officer: readonly (string | number)[];
}

export interface Counts {
	tp: number;
	fp: number;
	fn: number;
}

export function countPairs(items: readonly CheckedAnswer[]): Counts {
	let tp = 0;
	let fp = 0;
	let fn = 0;
	for (const it of items) {
		const m = new Set(it.machine);
		const o = new Set(it.officer);
		for (const t of m) {
			if (o.has(t)) tp++;
			else fp++;
		}
		for (const t of o) if (!m.has(t)) fn++;
	}
	return { tp, fp, fn };
}

export function f1Of(c: Counts): number | null {
	const d = 2 * c.tp + c.fp + c.fn;
	return d > 0 ? (2 * c.tp) / d : null;
}

export const BOOTSTRAP_RESAMPLES = 2000;
export const BOOTSTRAP_SEED = 20171;

/**
 * Percentile bootstrap interval for F1, resampling answers with replacement. Resamples in which
 * F1 is undefined (no themes on either side) are skipped. With every answer agreeing perfectly the
 * interval is [1, 1]; null when F1 itself is undefined.
 */
export function bootstrapF1(
	items: readonly CheckedAnswer[],
	opts: { resamples?: number; seed?: number; level?: number } = {}
): Interval | null {
	const per = items.map((it) => countPairs([it]));
	const whole = per.reduce((s, c) => ({ tp: s.tp + c.tp, fp: s.fp + c.fp, fn: s.fn + c.fn }), { tp: 0, fp: 0, fn: 0 });
	if (f1Of(whole) === null) return null;
	const B = opts.resamples ?? BOOTSTRAP_RESAMPLES;
	const rand = seededRandom(opts.seed ?? BOOTSTRAP_SEED).next;
	const n = per.length;
	const values: number[] = [];
	for (let b = 0; b < B; b++) {
		let tp = 0;
		let fp = 0;
		let fn = 0;
		for (let i = 0; i < n; i++) {
			const c = per[Math.floor(rand() * n)];
			tp += c.tp;
			fp += c.fp;
			fn += c.fn;
		}
		const d = 2 * tp + fp + fn;
		if (d > 0) values.push((2 * tp) / d);
	}
	values.sort((a, b) => a - b);
	const alpha = (1 - (opts.level ?? 0.95)) / 2;
	return { lo: quantile(values, alpha), hi: quantile(values, 1 - alpha) };
}

/** The q-quantile of sorted values, by the nearest-rank-from-below rule used for percentile bootstraps (type 1). */
export function quantile(sorted: readonly number[], q: number): number {
	if (sorted.length === 0) return NaN;
	const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
	return sorted[idx];
}

export interface SampleAgreement {
	/** Answers checked (skipped ones are not counted). */
	answers: number;
	/** Answers where the officer kept exactly the machine's themes. */
	exact: number;
	tp: number;
	fp: number;
	fn: number;
	precision: number | null;
	precisionCi: Interval | null;
	recall: number | null;
	recallCi: Interval | null;
	f1: number | null;
	f1Ci: Interval | null;
}

/** Agreement of the machine with the officer on checked answers, with 95% intervals. */
export function sampleAgreement(
	items: readonly CheckedAnswer[],
	opts: { resamples?: number; seed?: number } = {}
): SampleAgreement {
	const c = countPairs(items);
	const exact = items.filter((it) => {
		const m = new Set(it.machine);
		const o = new Set(it.officer);
		return m.size === o.size && [...m].every((t) => o.has(t));
	}).length;
	return {
		answers: items.length,
		exact,
		...c,
		precision: c.tp + c.fp > 0 ? c.tp / (c.tp + c.fp) : null,
		precisionCi: wilson(c.tp, c.tp + c.fp),
		recall: c.tp + c.fn > 0 ? c.tp / (c.tp + c.fn) : null,
		recallCi: wilson(c.tp, c.tp + c.fn),
		f1: f1Of(c),
		f1Ci: bootstrapF1(items, opts)
	};
}

/**
 * How many of `size` sample answers each stratum (question) gets: proportional to its pool,
 * largest remainder, ties to the earlier stratum; at least one for every non-empty stratum when
 * size allows; never more than the pool.
 */
export function allocateStrata(pools: readonly number[], size: number): number[] {
	const total = pools.reduce((s, n) => s + n, 0);
	const want = Math.min(size, total);
	if (want <= 0) return pools.map(() => 0);
	const exact = pools.map((n) => (n * want) / total);
	const out = exact.map((x, i) => Math.min(pools[i], Math.floor(x)));
	const nonEmpty = pools.filter((n) => n > 0).length;
	if (want >= nonEmpty) for (let i = 0; i < pools.length; i++) if (pools[i] > 0 && out[i] === 0) out[i] = 1;
	let left = want - out.reduce((s, n) => s + n, 0);
	const order = pools
		.map((_, i) => i)
		.sort((a, b) => exact[b] - Math.floor(exact[b]) - (exact[a] - Math.floor(exact[a])) || a - b);
	while (left > 0) {
		let moved = false;
		for (const i of order) {
			if (left === 0) break;
			if (out[i] < pools[i]) {
				out[i]++;
				left--;
				moved = true;
			}
		}
		if (!moved) break;
	}
	// too many after the at-least-one rule: take from the largest allocations
	while (left < 0) {
		let j = 0;
		for (let i = 1; i < out.length; i++) if (out[i] > out[j]) j = i;
		out[j]--;
		left++;
	}
	return out;
}

/** A seeded simple random sample of k items (partial Fisher–Yates over a copy; order of draw). */
export function drawSample<T>(items: readonly T[], k: number, rand: () => number): T[] {
	const a = items.slice();
	const m = Math.min(k, a.length);
	for (let i = 0; i < m; i++) {
		const j = i + Math.floor(rand() * (a.length - i));
		[a[i], a[j]] = [a[j], a[i]];
	}
	return a.slice(0, m);
}

/** "0.82 (95% interval 0.76 to 0.87)", or "–" when there is nothing to compare. */
export function formatWithInterval(v: number | null, ci: Interval | null): string {
	if (v === null) return '–';
	return ci ? `${v.toFixed(2)} (95% interval ${ci.lo.toFixed(2)} to ${ci.hi.toFixed(2)})` : v.toFixed(2);
}
