import { makeLimiter, type LimitResult } from '../http/rate-limit';
import { submissionsPerMinute } from './config';

export type { LimitResult };

/** Per-client limits, created on first use so the configured rate is read once. */
let limiters: { submit: (key: string) => Promise<LimitResult>; start: (key: string) => Promise<LimitResult> } | null = null;

function get() {
	if (!limiters) {
		const points = submissionsPerMinute();
		limiters = {
			submit: makeLimiter('submit', points, 60),
			// Starting a survey creates a draft row: allow a few more starts than sends.
			start: makeLimiter('start', points * 3, 60)
		};
	}
	return limiters;
}

/** One submission attempt (survey form or JSON endpoint). */
export function limitSubmission(client: string): Promise<LimitResult> {
	return get().submit(client);
}

/** One survey start (creates a draft). */
export function limitStart(client: string): Promise<LimitResult> {
	return get().start(client);
}
