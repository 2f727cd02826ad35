import { error, type Handle } from '@sveltejs/kit';
import { MAX_SUBMISSION_BYTES } from '../../schemas/submission';
import { MAX_UPLOAD_REQUEST_BYTES } from '../import/limits';
import { m } from '../../paraglide/messages';
import type { Language } from '../../i18n/languages';
import { requestLanguage } from '../i18n';
import { refusal } from './refusal';

/** Every route a signed-out person can post to (the survey, its JSON endpoint, /login): 64 KB. */
export const PUBLIC_BODY_LIMIT = MAX_SUBMISSION_BYTES;
/** Staff forms and entry sync (200 leaves of 2,000 characters as JSON, with room to spare). */
export const STAFF_BODY_LIMIT = 2 * 1024 * 1024;

function seconds(name: string, fallback: number): number {
	const n = Number(process.env[name]);
	return Number.isFinite(n) && n > 0 ? n : fallback;
}

/**
 * Seconds a body may take to arrive once its headers have: a slow-body
 * connection on a public route is answered 408 and closed instead of sitting
 * until Node's request timeout (PUBLIC_BODY_TIMEOUT, default 20; staff 120).
 */
export const bodyTimeouts = {
	public: () => seconds('PUBLIC_BODY_TIMEOUT', 20),
	staff: () => seconds('STAFF_BODY_TIMEOUT', 120)
};

/** The cap for one request: the import keeps its own; signed-out requests get the public cap wherever they post. */
export function bodyLimitFor(pathname: string, signedIn: boolean): { bytes: number; seconds: number } {
	if (!signedIn) return { bytes: PUBLIC_BODY_LIMIT, seconds: bodyTimeouts.public() };
	if (pathname === '/admin/import') return { bytes: MAX_UPLOAD_REQUEST_BYTES, seconds: bodyTimeouts.staff() };
	if (/^\/(admin|entry|api\/entry)(\/|$)/.test(pathname))
		return { bytes: STAFF_BODY_LIMIT, seconds: bodyTimeouts.staff() };
	return { bytes: PUBLIC_BODY_LIMIT, seconds: bodyTimeouts.public() };
}

/** The HttpError that error() throws, as a value (to fail a body stream with). */
function httpError(status: number, message: string): unknown {
	try {
		error(status, message);
	} catch (e) {
		return e;
	}
}

// In the request's language: the page's when a page reads the body, else the one given.
export const tooLargeMessage = (bytes: number, lang?: Language) =>
	m.too_large(
		{ limit: bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MB` : `${Math.round(bytes / 1024)} KB` },
		lang ? { locale: lang } : {}
	);
export const tooSlowMessage = (lang?: Language) => m.too_slow({}, lang ? { locale: lang } : {});

/**
 * The request with its body counted as it streams in: past `bytes` (with or
 * without a Content-Length, chunked bodies too) or past `seconds`, reading it
 * fails with a 413 or 408 HttpError, which SvelteKit answers with that status
 * wherever the route reads the body (formData(), json(), a reader).
 */
export function cappedRequest(request: Request, bytes: number, seconds: number, lang?: Language): Request {
	if (!request.body) return request;
	const source = request.body.getReader();
	let total = 0;
	let timer: ReturnType<typeof setTimeout> | undefined;
	const stop = () => clearTimeout(timer);
	const body = new ReadableStream<Uint8Array>({
		start(controller) {
			timer = setTimeout(() => controller.error(httpError(408, tooSlowMessage(lang))), seconds * 1000);
			timer.unref?.();
		},
		async pull(controller) {
			let chunk: ReadableStreamReadResult<Uint8Array>;
			try {
				chunk = await source.read();
			} catch (e) {
				stop();
				controller.error(e);
				return;
			}
			if (chunk.done) {
				stop();
				controller.close();
				return;
			}
			total += chunk.value.byteLength;
			if (total > bytes) {
				stop();
				// Stop reading without cancelling the source: cancelling would destroy the
				// socket before the 413 is sent. The answer carries Connection: close.
				source.releaseLock();
				controller.error(httpError(413, tooLargeMessage(bytes, lang)));
				return;
			}
			controller.enqueue(chunk.value);
		},
		cancel(reason) {
			stop();
			return source.cancel(reason);
		}
	});
	return new Request(request, { body, duplex: 'half' } as RequestInit);
}

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Body-size caps per route, checked before anything reads the body: a declared
 * Content-Length over the cap is refused at once (413), and every other body is
 * counted as it streams. Runs after authentication, so a signed-out client gets
 * the public 64 KB cap on every route. (The import keeps its own cap and its own
 * friendlier redirect for a declared oversize file: see limitUploads.)
 */
export const limitBodies: Handle = async ({ event, resolve }) => {
	if (!WITH_BODY.has(event.request.method)) return resolve(event);
	const limit = bodyLimitFor(event.url.pathname, event.locals.user !== null);
	const declared = event.request.headers.get('content-length');
	// A page's form gets the error page from the streamed check below; anything else a 413 at once, unread.
	const wantsPage = (event.request.headers.get('accept') ?? '').includes('text/html');
	if (declared !== null && !(Number(declared) <= limit.bytes) && !wantsPage) {
		// Before the language hook: chosen here the same way, so a respondent's script or app reads it in theirs.
		const lang = requestLanguage(event);
		const response = refusal(event.request, event.url, 413, tooLargeMessage(limit.bytes, lang), lang);
		response.headers.set('connection', 'close');
		return response;
	}
	// The language is passed in, not read when the limit is hit: the stream's first read happens here, before the
	// language hook, and a message made then would be in English whatever the page's language.
	event.request = cappedRequest(event.request, limit.bytes, limit.seconds, requestLanguage(event));
	const response = await resolve(event);
	if (response.status === 413 || response.status === 408) {
		// The rest of the body was never read: close the connection rather than drain it.
		try {
			response.headers.set('connection', 'close');
		} catch {
			// immutable headers: Node closes an unread request's socket itself
		}
	}
	return response;
};
