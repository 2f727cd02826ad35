/**
 * The seam between the app and the theme engine (src/lib/themes): everything
 * the app needs from the engine passes through these names. Training, coding
 * and discovery run in the engine's worker thread, never on the server's main
 * thread (a training run takes seconds; every request would wait for it).
 */
import type { EngineThread } from '../../themes/engine-worker';
export type { CodingResult, CandidateTheme } from '../../themes/index';

let thread: Promise<EngineThread> | null = null;

/** The engine worker (started on first use). Imported dynamically: its own chunk, loaded by the worker. */
export function engineThread(): Promise<EngineThread> {
	thread ??= import('../../themes/engine-worker').then((m) => new m.EngineThread());
	return thread;
}

/** Stops the engine worker (shutdown and tests); the next use starts a new one. */
export async function stopEngineThread(): Promise<void> {
	const t = thread;
	thread = null;
	if (t) await (await t).stop();
}
