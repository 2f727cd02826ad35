import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files known to take longest, slowest first (wall time in clean-clone CI, 3 December; seconds in comments).
 * On a clean clone vitest has no timings of its own and starts the largest files first; file size says little
 * about time (demo.test.ts is among the smallest and takes 16–30 s), so a long file started last keeps the run
 * waiting on one worker while the other has nothing left to do. Listed files start first within their project,
 * in this order; every other file keeps vitest's order. A wrong or stale entry only changes the order.
 */
export const SLOW_FIRST = [
	'tests/disclosure-joint.test.ts', // 79 (0.74–0.88x the CPU since its analysis cache keeps every view, 3 December)
	'tests/analysis-aggregates.test.ts', // 61
	'tests/safeguarding-model.test.ts', // 42 (about 20 s after the training change of 3 December)
	'tests/export-stream.test.ts', // 40
	'tests/disclosure-server.test.ts', // 38
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
