/**
 * The analysis bench's `--only`: view names contain commas, so the option is repeated (one view per value) rather
 * than split on commas, and a value that names no view is an error listing the views.
 */
import { describe, expect, it } from 'vitest';
import { analysisViews, onlyValues, selectViews, ViewOptionError } from '../scripts/bench/lib/analysis-views';

const views = analysisViews('/admin/c/x');
const names = (argv: string[]) => selectViews(views, onlyValues(argv)).map(([name]) => name);

describe('analysis bench --only', () => {
	it('without --only, every view in the bench order', () => {
		expect(names(['analysis', '--runs', '3'])).toEqual(views.map(([name]) => name));
	});

	it('a view whose name has commas, given whole, picks that view only', () => {
		expect(names(['analysis', '--only', 'dashboard, filtered (child, Bromsgrove)'])).toEqual([
			'dashboard, filtered (child, Bromsgrove)'
		]);
		expect(names(['--only=report, filtered (child, Bromsgrove)'])).toEqual(['report, filtered (child, Bromsgrove)']);
	});

	it('repeated: the views each value starts, in the bench order', () => {
		expect(names(['--only', 'report, filtered (child)', '--runs', '2', '--only', 'agreement'])).toEqual([
			'agreement',
			'report, filtered (child)'
		]);
		expect(names(['--only', 'cross-tab'])).toHaveLength(4);
	});

	it('a value that names no view: an error naming it and listing the views', () => {
		expect(() => names(['--only', 'dashbord'])).toThrow(ViewOptionError);
		expect(() => names(['--only', 'report', '--only', 'dashbord'])).toThrow(
			/no view named "dashbord"; the views are:\n {2}dashboard\n/
		);
		expect(() => names(['--only'])).toThrow(/--only needs a view name/);
		expect(() => names(['--only', '--runs', '3'])).toThrow(/--only needs a view name/);
	});
});
