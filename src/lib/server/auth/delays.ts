/**
 * Progressive delays after failed sign-ins, instead of a hard lock: after
 * `free` failures under a key, the next attempt must wait `baseSeconds`, then
 * twice that after each further failure, up to `maxSeconds`. A key is forgotten
 * `forgetSeconds` after its last failure, and on a successful sign-in.
 * Pure bookkeeping with the time passed in (no timers, no database), so it is
 * tested directly; counters live in memory only.
 */
export interface DelayPolicy {
	free: number;
	baseSeconds: number;
	maxSeconds: number;
	forgetSeconds: number;
}

/** Seconds the next attempt must wait after `failures` failures. */
export function delayAfter(failures: number, policy: DelayPolicy): number {
	if (failures < policy.free) return 0;
	const exponent = Math.min(failures - policy.free, 30);
	return Math.min(policy.maxSeconds, policy.baseSeconds * 2 ** exponent);
}

interface Entry {
	failures: number;
	lastAt: number;
}

export class FailureDelays {
	private entries = new Map<string, Entry>();

	constructor(
		readonly policy: DelayPolicy,
		/** At most this many keys are remembered; the longest-quiet are dropped first. */
		private readonly maxKeys = 50_000
	) {}

	private live(key: string, now: number): Entry | null {
		const e = this.entries.get(key);
		if (!e) return null;
		if (now - e.lastAt >= this.policy.forgetSeconds * 1000) {
			this.entries.delete(key);
			return null;
		}
		return e;
	}

	/** Seconds (rounded up) before an attempt under `key` is allowed; 0 when it is allowed now. */
	waitSeconds(key: string, now = Date.now()): number {
		const e = this.live(key, now);
		if (!e) return 0;
		const until = e.lastAt + delayAfter(e.failures, this.policy) * 1000;
		return until > now ? Math.ceil((until - now) / 1000) : 0;
	}

	failures(key: string, now = Date.now()): number {
		return this.live(key, now)?.failures ?? 0;
	}

	/** Records a failed attempt. */
	fail(key: string, now = Date.now()): void {
		const e = this.live(key, now);
		this.entries.delete(key); // re-inserted last: the map stays in order of last failure
		this.entries.set(key, { failures: (e?.failures ?? 0) + 1, lastAt: now });
		while (this.entries.size > this.maxKeys) this.entries.delete(this.entries.keys().next().value as string);
	}

	clear(key: string): void {
		this.entries.delete(key);
	}
}
