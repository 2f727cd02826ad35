/** Survey settings read from the environment (read on each call so tests can vary them per server). */

function positiveNumber(name: string, fallback: number): number {
	const raw = process.env[name];
	if (raw === undefined || raw === '') return fallback;
	const n = Number(raw);
	return Number.isFinite(n) && n >= 0 ? n : fallback;
}

/** Seconds a person must spend between starting the survey and sending it (SURVEY_MIN_SECONDS, default 10). */
export function minSecondsToComplete(): number {
	return positiveNumber('SURVEY_MIN_SECONDS', 10);
}

/**
 * Stored submissions per client address (an IPv6 /64) in each window
 * (SURVEY_RATE_LIMIT, default 60: a whole class sending from one school address).
 */
export function submissionsPerWindow(): number {
	return Math.max(1, Math.floor(positiveNumber('SURVEY_RATE_LIMIT', 60)));
}

/** The window of SURVEY_RATE_LIMIT in seconds (SURVEY_RATE_WINDOW_SECONDS, default 300). */
export function rateWindowSeconds(): number {
	return Math.max(1, Math.floor(positiveNumber('SURVEY_RATE_WINDOW_SECONDS', 300)));
}

/** Submissions being stored at once, from everyone, before more are asked to wait (SURVEY_MAX_CONCURRENT, default 64). */
export function maxConcurrentSubmissions(): number {
	return Math.max(1, Math.floor(positiveNumber('SURVEY_MAX_CONCURRENT', 64)));
}

/** Submissions accepted per second from everyone together (SURVEY_MAX_PER_SECOND, default 200). */
export function maxSubmissionsPerSecond(): number {
	return Math.max(1, Math.floor(positiveNumber('SURVEY_MAX_PER_SECOND', 200)));
}

/**
 * Minutes a survey draft (and its cookie) lives after the person last saved a
 * page (SURVEY_DRAFT_IDLE_MINUTES, default 120). Short on purpose: on a library
 * or school computer, what one person typed must not wait for the next.
 */
export function draftIdleMinutes(): number {
	return Math.max(1, positiveNumber('SURVEY_DRAFT_IDLE_MINUTES', 120));
}
