/**
 * The analysis bench's views and its `--only` option. View names contain commas ("dashboard, filtered (child,
 * Bromsgrove)"), so `--only` is given once per view (`--only dashboard --only 'report, filtered (child)'`) rather
 * than split on commas; each value picks the views whose names start with it, and a value that picks none is a
 * mistake named before any data is generated.
 */

/** Name and path of each view the bench requests, under the consultation's staff pages at `base`. */
export function analysisViews(base: string): [name: string, path: string][] {
	return [
		['dashboard', base],
		['dashboard, filtered (child)', `${base}?group=child`],
		['dashboard, filtered (Bromsgrove)', `${base}?district=bromsgrove`],
		['dashboard, filtered (child, Bromsgrove)', `${base}?group=child&district=bromsgrove`],
		['dashboard, filtered (question 1, a theme)', `${base}?question=q1&theme=1`],
		['cross-tab group x district', `${base}/crosstab?a=group&b=district`],
		['cross-tab age band x gender', `${base}/crosstab?a=age&b=gender`],
		['cross-tab week x channel', `${base}/crosstab?a=week&b=channel`],
		['cross-tab district x age band, filtered (child)', `${base}/crosstab?a=district&b=age&group=child`],
		['themes, all questions', `${base}/themes`],
		['themes, all questions, filtered (child)', `${base}/themes?group=child`],
		['themes, all questions, filtered (child, Bromsgrove)', `${base}/themes?group=child&district=bromsgrove`],
		['themes, question 1', `${base}/themes?question=q1`],
		['review list', `${base}/review`],
		['review: q1, not yet reviewed, no theme', `${base}/review?question=q1&unreviewed=1&uncoded=1`],
		['review: no theme', `${base}/review?uncoded=1`],
		['review: not yet reviewed', `${base}/review?unreviewed=1`],
		['review: a theme', `${base}/review?theme=1`],
		['review: child', `${base}/review?group=child`],
		['review: child, Bromsgrove, page 3', `${base}/review?group=child&district=bromsgrove&page=3`],
		['codebook q1', `${base}/codebook?question=q1`],
		['quotes q1', `${base}/quotes?question=q1`],
		['quotes q1, child', `${base}/quotes?question=q1&group=child`],
		['agreement', `${base}/agreement`],
		['report', `${base}/report`],
		['report, filtered (child)', `${base}/report?group=child`],
		['report, filtered (child, Bromsgrove)', `${base}/report?group=child&district=bromsgrove`],
		['table export (districts CSV)', `${base}/export/table/districts.csv`]
	];
}

export class ViewOptionError extends Error {}

/** Every `--only VALUE` (or `--only=VALUE`) in `argv`, in order; null when there is none. */
export function onlyValues(argv: readonly string[]): string[] | null {
	const values: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg.startsWith('--only=')) values.push(arg.slice('--only='.length));
		else if (arg === '--only') {
			const next = argv[i + 1];
			if (next === undefined || next.startsWith('--')) throw new ViewOptionError('--only needs a view name');
			values.push(next);
			i++;
		}
	}
	return values.length ? values : null;
}

/** The views `only` picks (all when null), in the bench's order; throws naming any value that picks none. */
export function selectViews<V extends [string, string]>(views: readonly V[], only: readonly string[] | null): V[] {
	if (!only) return [...views];
	const unknown = only.filter((o) => o === '' || !views.some(([name]) => name.startsWith(o)));
	if (unknown.length)
		throw new ViewOptionError(
			`--only: no view named ${unknown.map((u) => `"${u}"`).join(', ')}; the views are:\n` +
				views.map(([name]) => `  ${name}`).join('\n')
		);
	return views.filter(([name]) => only.some((o) => name.startsWith(o)));
}
