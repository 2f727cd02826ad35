import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { paraglideOptions } from './i18n.config.js';

/**
 * Test files that start the built server (build/index.js) or a browser against it.
 * Only these need the `vite build` of the global setup; every other test is in the
 * `unit` project, which never builds: `npx vitest run --project unit`, or any run
 * whose files are all unit tests (`npm test -- src/lib`, `npm test -- tests/auth`).
 * A test that starts the server from the unit project fails with a message naming
 * this list (tests/helpers/server.ts checks that the build is there).
 */
const APP_TESTS = [
	'tests/browser/**/*.test.ts',
	'tests/answer-length.test.ts',
	'tests/api-submissions.test.ts',
	'tests/backup.test.ts',
	'tests/durability.test.ts',
	'tests/import-hostile.test.ts',
	'tests/oversize-close.test.ts',
	'tests/readiness.test.ts',
	'tests/multi-instance.test.ts',
	'tests/route-matrix.test.ts',
	'tests/results-page.test.ts',
	'tests/safeguarding-permission.test.ts',
	'tests/shutdown.test.ts'
];

export default defineConfig({
	plugins: [paraglideVitePlugin(paraglideOptions), sveltekit()],
	test: {
		environment: 'node',
		// Database and browser tests each own their resources; run files in parallel
		// on the 2 cores but keep the per-test timeout generous for CI.
		testTimeout: 60_000,
		hookTimeout: 180_000,
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
					exclude: APP_TESTS,
					globalSetup: ['tests/global-setup-databases.ts']
				}
			},
			{
				extends: true,
				test: {
					name: 'app',
					include: APP_TESTS,
					globalSetup: ['tests/global-setup-databases.ts', 'tests/global-setup.ts']
				}
			}
		]
	}
});
