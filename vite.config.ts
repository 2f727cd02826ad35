import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import path from 'node:path';
import type { Plugin } from 'vite';
import type { ChunkingContext } from 'rolldown';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { paraglideOptions } from './i18n.config.js';
import SlowFirstSequencer from './tests/sequencer.js';
import { needsIsolation } from './tests/isolation.js';
import { envSwitch } from './src/lib/analysis/switches.js';
import { readdirSync } from 'node:fs';

/**
 * Test files that start the built server (build/index.js) or a browser against it.
 * Only these need the `vite build` of the global setup; every other test is in the
 * `unit` and `unit-src` projects, which never build: `npx vitest run --project 'unit*'`, or any run
 * whose files are all unit tests (`npm test -- src/lib`, `npm test -- tests/auth`).
 * A test that starts the server from the unit project fails with a message naming
 * this list (tests/helpers/server.ts checks that the build is there).
 */
const APP_TESTS = [
	'tests/browser/**/*.test.ts',
	'tests/answer-length.test.ts',
	'tests/api-submissions.test.ts',
	'tests/backup.test.ts',
	'tests/crosstab-same-dimension.test.ts',
	'tests/durability.test.ts',
	'tests/http-audit.test.ts',
	'tests/import-hostile.test.ts',
	'tests/oversize-close.test.ts',
	'tests/readiness.test.ts',
	'tests/multi-instance.test.ts',
	'tests/route-matrix.test.ts',
	'tests/results-page.test.ts',
	'tests/safeguarding-permission.test.ts',
	'tests/shutdown.test.ts'
];

/**
 * The browser's chunks (client build only; the server's are left as they were). The survey's pages are sent
 * without JavaScript except the question page (src/routes/(public)/s/[slug]/+layout.server.ts), and on a phone
 * every chunk costs a request, about 330 bytes of response headers and a line of the page's Link header; so:
 * - `framework`: Svelte's runtime, SvelteKit's client and Paraglide's runtime, which every page loads anyway;
 * - `survey`: every module of the app the question page and the root layout use (its components, the answer
 *   rule, its messages), in one chunk, so the question page loads 6 files rather than 16;
 * - `shared`: the staff pages' shared modules, grouped by the pages that use them, small groups merged.
 */
const SURVEY_ROOTS = ['src/routes/+layout.svelte', 'src/routes/(public)/s/[slug]/q/[p]/[n]/+page.svelte'].map((f) =>
	path.resolve(f)
);
const clientChunks: Plugin = {
	name: 'consult:client-chunks',
	configEnvironment(name) {
		if (name !== 'client') return;
		// The modules the survey's roots import, directly or not, worked out once (on the first question). The
		// message barrel ($lib/paraglide/messages) re-exports every message: instead of following it, the
		// messages a module calls (`m.key(`) are taken, each from its own module (messages/<key>.js).
		let survey: Set<string> | null = null;
		const messages = path.resolve('src/lib/paraglide/messages');
		const surveyModules = (ctx: ChunkingContext) => {
			if (survey) return survey;
			survey = new Set();
			const stack = [...SURVEY_ROOTS];
			while (stack.length > 0) {
				const id = stack.pop()!;
				if (survey.has(id)) continue;
				survey.add(id);
				const info = ctx.getModuleInfo(id);
				if (!info) continue;
				for (const [, key] of (info.code ?? '').matchAll(/\bm\.(\w+)\(/g))
					for (const file of [`${key}.js`, `_${key}.js`]) stack.push(path.join(messages, file));
				stack.push(...info.importedIds.filter((i) => !i.startsWith(messages) || !/(messages|_index)\.js$/.test(i)));
			}
			for (const root of SURVEY_ROOTS) survey.delete(root);
			return survey;
		};
		const app = /[\\/]src[\\/]/;
		return {
			build: {
				rolldownOptions: {
					output: {
						codeSplitting: {
							groups: [
								{
									name: 'framework',
									test: /node_modules[\\/](svelte|@sveltejs[\\/]kit|devalue|esm-env|clsx)[\\/]|src[\\/]lib[\\/]paraglide[\\/]runtime/,
									priority: 3
								},
								{
									name: (id, ctx) => (surveyModules(ctx).has(id) ? 'survey' : null),
									test: app,
									priority: 2
								},
								{
									name: 'shared',
									test: app,
									entriesAware: true,
									entriesAwareMergeThreshold: 4096,
									minShareCount: 2,
									priority: 1
								}
							]
						}
					}
				}
			}
		};
	}
};

/**
 * Unit files whose assertions measure time (event-loop latency under load, request timeouts, a server's start):
 * they run one at a time in their own project, `alone`, after the unit files and before the app files, so a
 * second file beside them does not eat the margin they measure.
 */
const ALONE_TESTS = [
	'tests/coding.test.ts',
	'tests/engine-thread.test.ts',
	'tests/safeguarding-app.test.ts',
	'tests/server-timeouts.test.ts',
	'tests/start-server.test.ts'
];

/**
 * Unit files at once (projects `unit` and `unit-src`): 2 by default, whatever the core count (they wait on
 * databases and child processes as much as they compute); `TEST_UNIT_WORKERS=1` runs them one at a time again.
 */
const UNIT_WORKERS = Math.max(1, Number(process.env.TEST_UNIT_WORKERS) || 2);

/**
 * The `tests/*.test.ts` unit files that share one module graph per worker (project `unit-shared`, `isolate: false`):
 * those tests/isolation.ts finds keep no process-wide state (or only what tests/helpers/shared-modules-reset.ts puts
 * back after each file). `TEST_SHARED_MODULES=off` runs them all isolated in `unit` again, as before.
 */
const SHARED_TESTS =
	envSwitch('TEST_SHARED_MODULES') === 'off'
		? []
		: readdirSync('tests')
				.filter((f) => f.endsWith('.test.ts'))
				.map((f) => `tests/${f}`)
				.filter((f) => !APP_TESTS.includes(f) && !ALONE_TESTS.includes(f) && !needsIsolation(f))
				.sort();

/** App files at once (project `app`): vitest's default (cores - 1) unless `TEST_APP_WORKERS` says otherwise. */
const APP_WORKERS = Number(process.env.TEST_APP_WORKERS) || undefined;

export default defineConfig({
	plugins: [paraglideVitePlugin(paraglideOptions), sveltekit(), clientChunks],
	test: {
		environment: 'node',
		// Keep the per-test timeout generous for CI.
		testTimeout: 60_000,
		hookTimeout: 180_000,
		// The files known to be slowest start first within their project (tests/sequencer.ts): on a clean clone vitest
		// has no timings and starts the largest files first, so a small slow file (demo) started near the end can
		// leave one unit worker idle while the other finishes it.
		sequence: { sequencer: SlowFirstSequencer },
		// Groups run in this order, each waiting for the one before: 1 `unit` + `unit-src` (UNIT_WORKERS files at
		// once), 2 `alone` (one at a time), 3 `app` (vitest's default: max(cores - 1, 1) files at once, so one at a
		// time on 2 cores). Numbered from 1: vitest puts a one-worker project of group 0 in a group of its own at the
		// very end of the run, which would move the unit files after the app files under TEST_UNIT_WORKERS=1.
		// Every group's glob takes new files by default: a new tests/*.test.ts is a `unit` file unless listed in
		// APP_TESTS or ALONE_TESTS, a new src/**/*.test.ts a `unit-src` file.
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['tests/**/*.test.ts'],
					exclude: [...APP_TESTS, ...ALONE_TESTS, ...SHARED_TESTS],
					globalSetup: ['tests/global-setup-databases.ts'],
					maxWorkers: UNIT_WORKERS,
					// Before the app files: they run while the app's production build (tests/global-setup.ts) is made.
					sequence: { groupOrder: 1 }
				}
			},
			...(SHARED_TESTS.length > 0
				? [
						{
							// The unit files that keep no module state between them (SHARED_TESTS above): one module graph per
							// worker, as `unit-src`; what a file leaves in the process (environment, timers, mocks, the coder) is
							// put back after it by the setup file.
							extends: true as const,
							test: {
								name: 'unit-shared',
								include: SHARED_TESTS,
								isolate: false,
								globalSetup: ['tests/global-setup-databases.ts'],
								setupFiles: ['tests/helpers/shared-modules-reset.ts'],
								maxWorkers: UNIT_WORKERS,
								sequence: { groupOrder: 1 }
							}
						}
					]
				: []),
			{
				// The tests beside the source (pure modules: themes, safeguarding, privacy, analysis, i18n...) share one
				// module graph instead of importing it afresh per file (vitest's "disable isolation" recipe): 30 files'
				// imports took 22 s isolated, 9 s shared. Not the tests under tests/: they keep module state (the analysis
				// cache, background coding, mocks) that a shared graph would carry from one file to the next.
				extends: true,
				test: {
					name: 'unit-src',
					include: ['src/**/*.test.ts'],
					isolate: false,
					maxWorkers: UNIT_WORKERS,
					// No database: none of these uses one, so a run of them alone makes no template either.
					sequence: { groupOrder: 1 }
				}
			},
			{
				extends: true,
				test: {
					name: 'alone',
					include: ALONE_TESTS,
					globalSetup: ['tests/global-setup-databases.ts'],
					maxWorkers: 1,
					sequence: { groupOrder: 2 }
				}
			},
			{
				extends: true,
				test: {
					name: 'app',
					include: APP_TESTS,
					globalSetup: ['tests/global-setup-databases.ts', 'tests/global-setup.ts'],
					// Each file first waits for the build the global setup started in the background.
					setupFiles: ['tests/helpers/app-build-wait.ts'],
					...(APP_WORKERS ? { maxWorkers: APP_WORKERS } : {}),
					sequence: { groupOrder: 3 }
				}
			}
		]
	}
});
