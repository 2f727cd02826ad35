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

/** Submissions per minute per client address (SURVEY_RATE_LIMIT, default 20). */
export function submissionsPerMinute(): number {
	return Math.max(1, Math.floor(positiveNumber('SURVEY_RATE_LIMIT', 20)));
}

/**
 * Minutes a survey draft (and its cookie) lives after the person last saved a
 * page (SURVEY_DRAFT_IDLE_MINUTES, default 120). Short on purpose: on a library
 * or school computer, what one person typed must not wait for the next.
 */
export function draftIdleMinutes(): number {
	return Math.max(1, positiveNumber('SURVEY_DRAFT_IDLE_MINUTES', 120));
}
