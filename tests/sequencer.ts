import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files known to take longest, slowest first (wall time in clean-clone CI, seconds in comments: 3 December,
 * and 5 December for the files added since, before and after that day's test changes; docs/deployment.md "CI time,
 * 5 December"; the 6 December afternoon's clean-clone run where noted). On a clean clone vitest has no timings of
 * its own and starts the largest files first; file size says little about time (demo.test.ts is among the smallest
 * and takes 16–30 s, analysis-family-columns 77 lines and 56 s), so a long file started last keeps the run waiting
 * on one worker while the other has nothing left to do. Listed files start first within their project, in this
 * order; every other file keeps vitest's order. A wrong or stale entry only changes the order.
 */
export const SLOW_FIRST = [
	'tests/disclosure-joint.test.ts', // 115 on 6 December afternoon, with disclosure-views' tests since ci47 (+ a few s)
	'tests/analysis-aggregates.test.ts', // 101 on 6 December afternoon (61 before)
	'tests/disclosure-random.test.ts', // 97 on 6 December afternoon (157 on 5 December, before seed 34's cache room)
	'tests/analysis-family-columns.test.ts', // 56 on 5 December; about 45 since (two views computed once)
	'tests/disclosure-server.test.ts', // 38
	'tests/export-stream.test.ts', // 46 on 6 December afternoon (40 before)
	'tests/analysis-question-slices.test.ts', // 47 on 6 December afternoon (not listed before)
	'tests/safeguarding-model.test.ts', // 42 (about 20 s after the training change of 3 December)
	'tests/analysis-date-gap.test.ts', // 87 on 5 December; about 25 since (every week compared on a one-year gap)
	'tests/demo.test.ts', // 16 alone on a quiet machine, 30+ beside another file
	'tests/browser/survey.test.ts', // 57 on 2 December
	'tests/browser/languages-errors.test.ts'
];

/** Vitest's order (group, project, then its own), with the SLOW_FIRST files moved to the front of their project. */
export default class SlowFirstSequencer extends BaseSequencer {
	override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
		const sorted = await super.sort(files);
		const rank = (spec: TestSpecification) => {
			const file = spec.moduleId.replaceAll('\\', '/');
			const i = SLOW_FIRST.findIndex((f) => file.endsWith(`/${f}`));
			return i < 0 ? SLOW_FIRST.length : i;
		};
		// Blocks of one group and project, in vitest's order; within a block, listed files first, the rest as they were.
		const blockOf = new Map<string, number>();
		const keyed = sorted.map((spec, i) => {
			const block = `${spec.project.config.sequence.groupOrder}:${spec.project.name}`;
			if (!blockOf.has(block)) blockOf.set(block, blockOf.size);
			return { spec, block: blockOf.get(block)!, rank: rank(spec), i };
		});
		keyed.sort((a, b) => a.block - b.block || a.rank - b.rank || a.i - b.i);
		return keyed.map((k) => k.spec);
	}
}
