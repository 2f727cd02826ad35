/**
 * Pure statistics for the analysis screens: percentages, the adjusted
 * standardised residual of a group-vs-rest 2x2 table, and F1 agreement.
 * No framework, no database: unit-tested against hand-computed fixtures.
 */

/** n as a percentage of d, or null when d is 0. Not rounded. */
export function pct(n: number, d: number): number | null {
	return d > 0 ? (100 * n) / d : null;
}

/** A percentage for display: one decimal place below 10%, whole numbers above ("7.5%", "23%"). */
export function formatPct(p: number | null): string {
	if (p === null) return '–';
	if (p > 0 && p < 10) return `${(Math.round(p * 10) / 10).toFixed(1)}%`;
	return `${Math.round(p)}%`;
}

/** z for a two-sided test at 5%. */
export const Z_95 = 1.959963984540054;

export interface GroupVsRest {
	/** Answers in this group that raised the theme. */
	k: number;
	/** Answers in this group. */
	n: number;
	/** Answers (all groups) that raised the theme. */
	m: number;
	/** All answers. */
	N: number;
}

export type Direction = 'more' | 'less' | 'same' | 'untested';

export interface ResidualResult {
	/** Adjusted standardised residual (Haberman), null when untested. */
	residual: number | null;
	/** Expected count in the cell under independence. */
	expected: number | null;
	direction: Direction;
}

/**
 * Does this group raise the theme notably more or less than everyone else?
 * The 2x2 table (theme / no theme) x (this group / other groups) is tested with
 * the adjusted standardised residual r = (O - E) / sqrt(E (1 - n/N) (1 - m/N)),
 * which is N(0,1) under independence: |r| > 1.96 is significant at 5% (two-sided).
 * Skipped ('untested') when any of the four expected counts is below minExpected
 * (default 5, the usual chi-squared rule), or a margin is empty.
 */
export function groupVsRest({ k, n, m, N }: GroupVsRest, minExpected = 5, z = Z_95): ResidualResult {
	if (N <= 0 || n <= 0 || m <= 0 || n >= N || m >= N) return { residual: null, expected: null, direction: 'untested' };
	const e11 = (n * m) / N;
	const e12 = n - e11; // this group, no theme
	const e21 = m - e11; // other groups, theme
	const e22 = N - n - m + e11;
	if (Math.min(e11, e12, e21, e22) < minExpected) return { residual: null, expected: e11, direction: 'untested' };
	const r = (k - e11) / Math.sqrt(e11 * (1 - n / N) * (1 - m / N));
	return { residual: r, expected: e11, direction: r > z ? 'more' : r < -z ? 'less' : 'same' };
}

export interface Agreement {
	truePositive: number;
	falsePositive: number;
	falseNegative: number;
	precision: number | null;
	recall: number | null;
	f1: number | null;
}

/**
 * Micro-averaged agreement between the automatic coding and the officer's final
 * coding, from counts of (answer, theme) pairs: tp = proposed and kept, fp =
 * proposed but removed, fn = added by the officer. F1 is null when there is nothing to compare.
 */
export function agreement(tp: number, fp: number, fn: number): Agreement {
	const precision = tp + fp > 0 ? tp / (tp + fp) : null;
	const recall = tp + fn > 0 ? tp / (tp + fn) : null;
	const f1 = tp + fp + fn > 0 ? (2 * tp) / (2 * tp + fp + fn) : null;
	return { truePositive: tp, falsePositive: fp, falseNegative: fn, precision, recall, f1 };
}

/** The same, from per-answer sets of theme ids (automatic proposal vs final). */
export function agreementFromSets(
	pairs: { auto: Iterable<number | string>; final: Iterable<number | string> }[]
): Agreement {
	let tp = 0;
	let fp = 0;
	let fn = 0;
	for (const p of pairs) {
		const a = new Set(p.auto);
		const f = new Set(p.final);
		for (const t of a) {
			if (f.has(t)) tp++;
			else fp++;
		}
		for (const t of f) if (!a.has(t)) fn++;
	}
	return agreement(tp, fp, fn);
}
