import { redirect, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { database, closeDatabase } from '$lib/server/db/instance';
import { startJobs, stopJobs } from '$lib/server/jobs';
import { isStarted, markReady, markStopping, readinessResponse, startingLiveness } from '$lib/server/readiness';
import { securityHeaders } from '$lib/server/http/security-headers';
import { SESSION_COOKIE, validateSession } from '$lib/server/auth/session';
import { clearSessionCookie, setSessionCookie } from '$lib/server/auth/cookies';
import { MAX_UPLOAD_REQUEST_BYTES } from '$lib/server/import/limits';
import { limitBodies, tooLargeMessage } from '$lib/server/http/body-limits';
import { refusal } from '$lib/server/http/refusal';
import { errorLogLine, errorReference, serviceProblemMessage } from '$lib/server/http/errors';
import { chooseLanguageHook, requestLanguage } from '$lib/server/i18n';
import { m } from '$lib/paraglide/messages';
import { leanSubmissionsRoute, NODE_ROUTE_KEY } from '$lib/server/survey/lean-http';

export const init: ServerInit = async () => {
	// Not awaited: adapter-node listens at once, so a proxy can ask /readyz (503 "starting") and /healthz (200, alive)
	// while the database is opened, migrated and loaded and background work makes its start-up claims. Any other
	// request waits for the database (attachDatabase) rather than being refused, so clients retrying through a
	// restart (the crash test's 200) are served as soon as it is open. A failed start-up stops the process.
	// The survey's JSON submissions, answered at the node:http layer in front of SvelteKit by the server entry
	// (scripts/serve-built.ts, npm start) once start-up has finished: survey/lean-http.ts.
	(globalThis as Record<symbol, unknown>)[NODE_ROUTE_KEY] = leanSubmissionsRoute();
	void startUp().catch((error) => {
		console.error('Start-up failed:', error instanceof Error ? error.message : error);
		process.exit(1);
	});
	// Not ready from the moment shutdown is asked for, while in-flight requests finish.
	for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, markStopping);
	// adapter-node emits this after SIGTERM/SIGINT once in-flight requests finish.
	process.once('sveltekit:shutdown' as never, () => {
		markStopping();
		void stopJobs().finally(closeDatabase);
	});
};

async function startUp() {
	const open = await database();
	await startJobs(open.db);
	markReady(open.db);
	// For people and scripts reading the log (scripts/lib/server.ts waits for it: a probe of /readyz can starve
	// behind hundreds of held requests on a busy machine).
	console.log('Ready: the database is open, migrated and loaded');
}

/** /readyz, and /healthz during start-up, are answered before anything waits for the database (see init). */
const readiness: Handle = ({ event, resolve }) => {
	if (event.url.pathname === '/readyz') return readinessResponse();
	if (event.url.pathname === '/healthz' && !isStarted()) return startingLiveness();
	return resolve(event);
};

const attachDatabase: Handle = async ({ event, resolve }) => {
	event.locals.db = (await database()).db;
	event.locals.user = null;
	event.locals.lang ??= 'en';
	return resolve(event);
};

/**
 * Fills locals.user from the session cookie on every request: expired sessions
 * and disabled users are refused here, and the idle deadline is renewed on use.
 */
const authenticate: Handle = async ({ event, resolve }) => {
	const token = event.cookies.get(SESSION_COOKIE);
	if (token) {
		const session = await validateSession(event.locals.db, token);
		if (session) {
			event.locals.user = session.user;
			if (session.renewed) setSessionCookie(event.cookies, event.url, token, session.expiresAt);
		} else {
			clearSessionCookie(event.cookies, event.url);
		}
	}
	return resolve(event);
};

/**
 * Refuses oversized uploads from their Content-Length, before anything reads the
 * body: the import page gets a redirect back with a clear message, anything
 * else a 413. (adapter-node's BODY_SIZE_LIMIT still caps bodies without a length.)
 */
const limitUploads: Handle = async ({ event, resolve }) => {
	if (event.request.method === 'POST') {
		const length = Number(event.request.headers.get('content-length') ?? '0');
		if (length > MAX_UPLOAD_REQUEST_BYTES) {
			// SvelteKit answers a thrown redirect in the form the request needs (an ActionResult for use:enhance).
			if (event.url.pathname === '/admin/import') redirect(303, '/admin/import?too_large=1');
			const lang = requestLanguage(event);
			return refusal(event.request, event.url, 413, tooLargeMessage(MAX_UPLOAD_REQUEST_BYTES, lang), lang);
		}
	}
	return resolve(event);
};

const everyRoute = sequence(
	securityHeaders,
	readiness,
	limitUploads,
	attachDatabase,
	authenticate,
	limitBodies,
	chooseLanguageHook
);

/**
 * The survey's JSON submission endpoint is the hottest path in the service (a class, a school, a national
 * consultation sending at once), and it needs little of the above: no session (it is anonymous and never reads
 * locals.user), and its body is read by readCappedText, which keeps the public cap and time limit itself
 * (src/lib/server/http/body.ts). It keeps the cross-site check and the response headers (securityHeaders), the
 * database, and the language (its field errors are in the respondent's language, as the pages are). Measured in
 * docs/deployment.md (the profile).
 */
const SUBMISSIONS_API = /^\/api\/s\/[^/]+\/submissions\/?$/;
const submissionApi = sequence(securityHeaders, attachDatabase, chooseLanguageHook);

export const handle: Handle = (input) =>
	input.event.request.method === 'POST' && SUBMISSIONS_API.test(input.event.url.pathname)
		? submissionApi(input)
		: everyRoute(input);

/**
 * Unexpected errors (not error(4xx) and not redirects): the person sees
 * "Sorry, there is a problem with the service" with a reference, and the log
 * holds the same reference with the error, but nothing they sent (see errorLogLine).
 */
export const handleError: HandleServerError = ({ error, event, status }) => {
	// An unknown address (404) or a method a page does not take (405) is no fault to log.
	// In the respondent's language (staff pages: English), chosen before the error was thrown.
	const locale = { locale: event.locals.lang ?? 'en' };
	if (status < 500) return { message: status === 404 ? m.error_not_found({}, locale) : m.error_cannot({}, locale) };
	const reference = errorReference();
	console.error(
		errorLogLine(reference, error, {
			method: event.request.method,
			routeId: event.route.id,
			path: event.url.pathname,
			status
		})
	);
	// The reference is in the message as well for src/error.html (errors in the hooks), which can show only the message.
	return { message: serviceProblemMessage(reference), reference };
};
