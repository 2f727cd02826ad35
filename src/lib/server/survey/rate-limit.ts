import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { submissionsPerMinute } from './config';

/**
 * Per-client limits held in this process's memory only. The key is the client
 * address SvelteKit reports; it is never written anywhere.
 */
let limiters: { submit: RateLimiterMemory; start: RateLimiterMemory } | null = null;

function get() {
	if (!limiters) {
		const points = submissionsPerMinute();
		limiters = {
			submit: new RateLimiterMemory({ keyPrefix: 'submit', points, duration: 60 }),
			// Starting a survey creates a draft row: allow a few more starts than sends.
			start: new RateLimiterMemory({ keyPrefix: 'start', points: points * 3, duration: 60 })
		};
	}
	return limiters;
}

export interface LimitResult {
	allowed: boolean;
	/** Seconds until another request will be accepted, when refused. */
	retryAfter: number;
}

async function consume(kind: 'submit' | 'start', client: string): Promise<LimitResult> {
	try {
		await get()[kind].consume(client || 'unknown');
		return { allowed: true, retryAfter: 0 };
	} catch (rejection) {
		if (rejection instanceof RateLimiterRes) {
			return { allowed: false, retryAfter: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
		}
		throw rejection;
	}
}

/** One submission attempt (survey form or JSON endpoint). */
export function limitSubmission(client: string): Promise<LimitResult> {
	return consume('submit', client);
}

/** One survey start (creates a draft). */
export function limitStart(client: string): Promise<LimitResult> {
	return consume('start', client);
}
