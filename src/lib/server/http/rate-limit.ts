import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { newLimiter, storedKey } from './limit-store';

export interface LimitResult {
	allowed: boolean;
	/** Seconds until another request will be accepted, when refused. */
	retryAfter: number;
}

/**
 * A limit of `points` requests per `seconds` per key: in this process's memory on
 * SQLite, shared by every instance through the database on PostgreSQL
 * (limit-store.ts; only keyed hashes of the keys are stored there).
 */
export function makeLimiter(keyPrefix: string, points: number, seconds: number) {
	// Made on first use, once the server's database (and so the store) is known.
	let limiter: RateLimiterAbstract | null = null;
	return async (key: string): Promise<LimitResult> => {
		limiter ??= newLimiter({ keyPrefix, points, duration: seconds });
		try {
			await limiter.consume(storedKey(key || 'unknown'));
			return { allowed: true, retryAfter: 0 };
		} catch (rejection) {
			if (rejection instanceof RateLimiterRes) {
				return { allowed: false, retryAfter: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
			}
			throw rejection;
		}
	};
}
