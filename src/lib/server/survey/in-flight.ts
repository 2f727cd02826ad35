/**
 * How many survey submissions this process is handling right now (from submitResponse's start to its answer),
 * so that background work on the same main thread (an import's commit) can let them finish first:
 * `submissionsInFlight()` and `submissionsSettled(maxMs)`. Per process, not per database: the contended resource
 * is the event loop.
 */
let inFlight = 0;
let waiters: (() => void)[] = [];

/** Marks one submission as started; call the returned function once when it has its answer. */
export function submissionStarted(): () => void {
	inFlight++;
	let ended = false;
	return () => {
		if (ended) return;
		ended = true;
		if (--inFlight === 0 && waiters.length > 0) {
			const wake = waiters;
			waiters = [];
			// After this turn: the route still turns the result into a response.
			setImmediate(() => wake.forEach((w) => w()));
		}
	};
}

export function submissionsInFlight(): number {
	return inFlight;
}

/** Resolves once no submission is in flight, or after `maxMs`, whichever is first (at once when none is). */
export function submissionsSettled(maxMs: number): Promise<void> {
	if (inFlight === 0 || maxMs <= 0) return Promise.resolve();
	return new Promise((resolve) => {
		const timer = setTimeout(() => {
			waiters = waiters.filter((w) => w !== wake);
			resolve();
		}, maxMs);
		const wake = () => {
			clearTimeout(timer);
			resolve();
		};
		waiters.push(wake);
	});
}
