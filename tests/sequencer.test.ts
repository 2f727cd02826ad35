import { describe, expect, it } from 'vitest';
import type { TestSpecification, Vitest } from 'vitest/node';
import SlowFirstSequencer, { SLOW_FIRST } from './sequencer';

const root = '/repo';

/** A file of a project as the sequencer sees it (only what BaseSequencer and ours read). */
function spec(file: string, project: string, groupOrder: number): TestSpecification {
	return {
		moduleId: `${root}/${file}`,
		project: { name: project, config: { sequence: { groupOrder }, isolate: true } }
	} as unknown as TestSpecification;
}

/** A clean clone: no file has results from an earlier run, and vitest knows each file's size. */
function sequencer(sizes: Record<string, number>) {
	const ctx = {
		config: { root },
		cache: {
			getFileTestResults: () => undefined,
			getFileStats: (key: string) => ({ size: sizes[key.slice(key.indexOf(':') + 1)] ?? 1 })
		}
	} as unknown as Vitest;
	return new SlowFirstSequencer(ctx);
}

describe('the test sequencer', () => {
	it('starts the listed slow files first within their project, the rest in vitest order (largest first)', async () => {
		const files = [
			spec('tests/big.test.ts', 'unit', 1),
			spec('tests/demo.test.ts', 'unit', 1),
			spec('tests/middle.test.ts', 'unit', 1),
			spec('tests/analysis-aggregates.test.ts', 'unit', 1),
			spec('src/lib/a.test.ts', 'unit-src', 1),
			spec('tests/browser/survey.test.ts', 'app', 3),
			spec('tests/browser/small.test.ts', 'app', 3),
			spec('tests/coding.test.ts', 'alone', 2)
		];
		const sizes = {
			'tests/big.test.ts': 9000,
			'tests/middle.test.ts': 5000,
			'tests/demo.test.ts': 2800,
			'tests/analysis-aggregates.test.ts': 30000,
			'tests/browser/survey.test.ts': 100,
			'tests/browser/small.test.ts': 200
		};
		const sorted = await sequencer(sizes).sort(files);
		expect(sorted.map((s) => `${s.project.name} ${s.moduleId.slice(root.length + 1)}`)).toEqual([
			// Listed ones first, in the list's order; then vitest's: largest first. demo is small but slow.
			'unit tests/analysis-aggregates.test.ts',
			'unit tests/demo.test.ts',
			'unit tests/big.test.ts',
			'unit tests/middle.test.ts',
			// Projects stay in vitest's order (group, then name): never moved across a project or group.
			'unit-src src/lib/a.test.ts',
			'alone tests/coding.test.ts',
			'app tests/browser/survey.test.ts',
			'app tests/browser/small.test.ts'
		]);
	});

	it('lists each file once, under tests/', () => {
		expect(new Set(SLOW_FIRST).size).toBe(SLOW_FIRST.length);
		for (const f of SLOW_FIRST) expect(f).toMatch(/^tests\/.+\.test\.ts$/);
	});
});
