import { readFileSync } from 'node:fs';

/**
 * Which `tests/*.test.ts` unit files may share one module graph (vite.config.ts, project `unit-shared`, `isolate:
 * false`) instead of importing every module afresh (project `unit`). Importing is a real share of the unit files'
 * cost: collecting the 168 unit files with no test run (`-t` matching none) took 150 s of CPU isolated and 13 s shared
 * (docs/deployment.md, "CI time, 6 December morning").
 *
 * A file keeps its own graph when its text shows it changes what a shared graph would carry to the next file:
 * - module mocks, spies, fake timers or stubs (`vi.mock`, `vi.spyOn`, `vi.useFakeTimers`, …), which a later file
 *   would see or would have to undo;
 * - an import of a module that keeps process-wide state the file starts or reads: the background coder, the coding
 *   engine's thread and its trained models, the survey writer and its thread, the checkpointer, the app's database
 *   singleton, the rate limiters and their shared store, the submission trace, the hooks; or a helper that starts
 *   those (servers, browsers, the coder).
 * Every other file's process-wide leftovers are reset after it by tests/helpers/shared-modules-reset.ts (the
 * environment as it was, timers and mocks restored, the background coder and the engine's thread stopped). The
 * analysis cache is keyed by database (connect.ts `databaseId`, a per-process counter), so no entry is reused across
 * files. New files are classified by the same rule when the config loads, so a new file with `vi.mock` stays isolated.
 */
const STATEFUL_TEST_CODE =
	/\bvi\.(mock|doMock|unmock|hoisted|spyOn|fn|useFakeTimers|stubGlobal|stubEnv|resetModules|importActual)\b/;
const STATEFUL_IMPORT =
	/(from |import\()\s*'[^']*(coding\/(index|recode|engine)|db\/(instance|checkpointer)|survey\/(writer|writer-thread|rate-limit|in-flight|submit-trace|lean-http)|auth\/login|http\/limit-store|import\/parse-isolated|hooks\.server|helpers\/(server|app|browser|writer|coding-reset|coding-switch-copies))['.]/;

/** Whether the test file at `path` keeps its own module graph (see above). */
export function needsIsolation(path: string): boolean {
	const text = readFileSync(path, 'utf8');
	return STATEFUL_TEST_CODE.test(text) || STATEFUL_IMPORT.test(text);
}
