import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

export interface LimitResult {
	allowed: boolean;
	/** Seconds until another request will be accepted, when refused. */
	retryAfter: number;
}

/**
 * A limit of `points` requests per `seconds` per key, held in this process's
 * memory only (keys such as client addresses are never written anywhere).
 */
export function makeLimiter(keyPrefix: string, points: number, seconds: number) {
	const limiter = new RateLimiterMemory({ keyPrefix, points, duration: seconds });
	return async (key: string): Promise<LimitResult> => {
		try {
			await limiter.consume(key || 'unknown');
			return { allowed: true, retryAfter: 0 };
		} catch (rejection) {
			if (rejection instanceof RateLimiterRes) {
				return { allowed: false, retryAfter: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
			}
			throw rejection;
		}
	};
}
