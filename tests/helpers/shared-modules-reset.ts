/**
 * The setup file of the `unit-shared` project (vite.config.ts; tests/isolation.ts says which files are in it): its
 * files share one module graph per worker, so what one file leaves in the process is put back before the next one.
 * Runs before each file (its hooks are the file's outermost): the environment as it was when the file started (a
 * file's own `process.env` writes, restored or not), real timers, mocks and stubs restored, and the background
 * coder and the coding engine's thread stopped if the file started them.
 */
import { afterAll, beforeAll, vi } from 'vitest';
import { stopBackgroundCoding } from '../../src/lib/server/coding/index';

let saved: Record<string, string | undefined> = {};

beforeAll(() => {
	saved = { ...process.env };
});

afterAll(async () => {
	vi.useRealTimers();
	vi.restoreAllMocks();
	vi.unstubAllEnvs();
	vi.unstubAllGlobals();
	await stopBackgroundCoding(); // also stops the engine's worker thread
	for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
	for (const [k, v] of Object.entries(saved)) if (v !== undefined && process.env[k] !== v) process.env[k] = v;
});
