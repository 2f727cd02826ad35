import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { needsIsolation } from './isolation';

const dir = mkdtempSync(path.join(tmpdir(), 'consult-isolation-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Whether a test file with this text keeps its own module graph. */
function isolated(text: string): boolean {
	const file = path.join(dir, `t${Math.random().toString(36).slice(2)}.test.ts`);
	writeFileSync(file, text);
	return needsIsolation(file);
}

describe('which unit files share one module graph (tests/isolation.ts)', () => {
	it('shares a file that only imports pure modules and the database helpers', () => {
		expect(
			isolated(
				"import { describeEachEngine } from './helpers/databases';\nimport { loadDemoLike } from './helpers/demo-like';\n"
			)
		).toBe(false);
		// A module whose name merely starts like a stateful one is not matched.
		expect(isolated("import { x } from '../src/lib/server/survey/writer-aggregates-free';\n")).toBe(false);
	});

	it('isolates files with module mocks, spies, fake timers or stubs', () => {
		for (const code of [
			"vi.mock('../src/x')",
			'vi.spyOn(console, "error")',
			'vi.useFakeTimers()',
			'vi.stubEnv("A", "b")'
		])
			expect(isolated(`import { vi } from 'vitest';\n${code};\n`), code).toBe(true);
	});

	it('isolates files that import a module keeping process-wide state, statically or not', () => {
		for (const from of [
			'../src/lib/server/coding/index',
			'../src/lib/server/coding/engine',
			'../src/lib/server/survey/writer',
			'../src/lib/server/survey/writer-thread',
			'../src/lib/server/db/instance',
			'./helpers/server',
			'./helpers/coding-switch-copies'
		]) {
			expect(isolated(`import { x } from '${from}';\n`), from).toBe(true);
			expect(isolated(`const m = await import('${from}');\n`), from).toBe(true);
		}
	});
});
