import { error, redirect, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { database, closeDatabase } from '$lib/server/db/instance';
import { startJobs, stopJobs } from '$lib/server/jobs';
import { markReady, markStopping, readinessResponse } from '$lib/server/readiness';
import { securityHeaders } from '$lib/server/http/security-headers';
import { SESSION_COOKIE, validateSession } from '$lib/server/auth/session';
import { clearSessionCookie, setSessionCookie } from '$lib/server/auth/cookies';
import { MAX_UPLOAD_BYTES, MAX_UPLOAD_REQUEST_BYTES } from '$lib/server/import/limits';
import { limitBodies } from '$lib/server/http/body-limits';
import { errorLogLine, errorReference } from '$lib/server/http/errors';
import { chooseLanguageHook } from '$lib/server/i18n';

export const init: ServerInit = async () => {
	// Awaited: adapter-node listens only once the database is open, migrated and loaded, so during start-up (or
	// while another instance holds the migration lock) connections are refused, which a proxy reads as not ready.
	// (Listening at once and answering 503 instead made restarts under 200 clients miss the crash test's limit.)
	const open = await database();
	startJobs(open.db);
	markReady(open.db);
	// adapter-node emits this after SIGTERM/SIGINT once in-flight requests finish.
	process.once('sveltekit:shutdown' as never, () => {
		markStopping();
		void stopJobs().finally(closeDatabase);
	});
};

/** /readyz is answered before anything waits for the database (see init). */
const readiness: Handle = ({ event, resolve }) =>
	event.url.pathname === '/readyz' ? readinessResponse() : resolve(event);

const attachDatabase: Handle = async ({ event, resolve }) => {
	event.locals.db = (await database()).db;
	event.locals.user = null;
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
			error(413, `The upload is too large: the limit is ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.`);
		}
	}
	return resolve(event);
};

export const handle = sequence(
	securityHeaders,
	readiness,
	limitUploads,
	attachDatabase,
	authenticate,
	limitBodies,
	chooseLanguageHook
);

/**
 * Unexpected errors (not error(4xx) and not redirects): the person sees
 * "Sorry, there is a problem with the service" with a reference, and the log
 * holds the same reference with the error, but nothing they sent (see errorLogLine).
 */
export const handleError: HandleServerError = ({ error, event, status }) => {
	// An unknown address (404) or a method a page does not take (405) is no fault to log.
	if (status < 500) return { message: status === 404 ? 'Page not found' : 'Sorry, that cannot be done here' };
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
	return { message: `Sorry, there is a problem with the service (error reference ${reference})`, reference };
};
