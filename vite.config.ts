import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	test: {
		include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
		environment: 'node',
		// Database and browser tests each own their resources; run files in parallel
		// on the 2 cores but keep the per-test timeout generous for CI.
		testTimeout: 60_000,
		hookTimeout: 180_000,
		globalSetup: ['tests/global-setup.ts']
	}
});
