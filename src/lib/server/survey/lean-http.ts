import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_SUBMISSION_BYTES } from '../../schemas/submission';
import { chooseLanguage, LANGUAGE_COOKIE } from '../../i18n/languages';
import { database } from '../db/instance';
import { isStarted, isStopping } from '../readiness';
import { BodyTooLargeError } from '../http/body';
import { crossSiteWrite, HSTS, NON_PAGE_CSP, SECURITY_HEADERS } from '../http/security-headers';
import { errorLogLine, errorReference, serviceProblemMessage } from '../http/errors';
import { inLanguage } from '../i18n';
import { submissionsPost, type ApiReply } from './api';
import { traceSubmission, type SubmissionTrace } from './submit-trace';

/**
 * A route answered at the node:http layer, before SvelteKit: given a request whose whole body the server has
 * already read (scripts/lib/body-gate.ts), it answers and returns true, or returns false to hand the request on to
 * SvelteKit untouched.
 */
export type NodeRoute = (req: IncomingMessage, res: ServerResponse, body: Buffer) => boolean;

/** Where the app leaves its node-level route for the server entry (scripts/lib/server-timeouts.ts) to find. */
export const NODE_ROUTE_KEY = Symbol.for('consult.nodeRoute');

const PATH = /^\/api\/s\/([a-z0-9][a-z0-9_-]*)\/submissions\/?$/;

interface Settings {
	origin: string;
	https: boolean;
	addressHeader: string;
	xffDepth: number;
}

/** adapter-node's settings, read as it reads them (ORIGIN, ADDRESS_HEADER, XFF_DEPTH); null: the route is off. */
function settings(env: NodeJS.ProcessEnv): Settings | null {
	if (env.LEAN_SUBMISSIONS === '0' || !env.ORIGIN) return null;
	let url: URL;
	try {
		url = new URL(env.ORIGIN);
	} catch {
		return null; // adapter-node refuses to start with it anyway
	}
	const xffDepth = parseInt(env.XFF_DEPTH ?? '1');
	return {
		origin: url.origin,
		https: url.protocol === 'https:',
		addressHeader: (env.ADDRESS_HEADER ?? '').toLowerCase(),
		xffDepth: Number.isFinite(xffDepth) && xffDepth >= 1 ? xffDepth : 1
	};
}

/** The client address as adapter-node's getClientAddress gives it, or null when it would fail (SvelteKit then answers). */
function clientAddress(req: IncomingMessage, s: Settings): string | null {
	if (!s.addressHeader) return req.socket.remoteAddress ?? null;
	const value = req.headers[s.addressHeader];
	if (value === undefined) return null;
	const text = Array.isArray(value) ? value.join(',') : value;
	if (s.addressHeader !== 'x-forwarded-for') return text;
	const addresses = text.split(',');
	return s.xffDepth > addresses.length ? null : addresses[addresses.length - s.xffDepth].trim();
}

function header(req: IncomingMessage, name: string): string | null {
	const v = req.headers[name];
	return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
}

function cookie(req: IncomingMessage, name: string): string | undefined {
	const all = req.headers.cookie;
	if (!all) return undefined;
	for (const part of all.split(';')) {
		const eq = part.indexOf('=');
		if (eq > 0 && part.slice(0, eq).trim() === name) {
			const v = part.slice(eq + 1).trim();
			try {
				return decodeURIComponent(v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v);
			} catch {
				return v;
			}
		}
	}
	return undefined;
}

function send(res: ServerResponse, reply: ApiReply, s: Settings, close: boolean) {
	const text = JSON.stringify(reply.body);
	const headers: Record<string, string | number> = {
		'content-type': 'application/json',
		'content-length': Buffer.byteLength(text),
		...SECURITY_HEADERS,
		'content-security-policy': NON_PAGE_CSP,
		...reply.headers
	};
	if (s.https) headers['strict-transport-security'] = HSTS;
	// Once shutdown has begun, no more requests on this connection (adapter-node closes idle ones likewise).
	if (close) headers.connection = 'close';
	res.writeHead(reply.status, headers);
	res.end(text);
}

/**
 * POST /api/s/<slug>/submissions answered without SvelteKit: no conversion of the node request to a web Request
 * and back, no routing, hooks, cookies object or response streams, which on an idle machine cost more CPU than
 * the submission itself (docs/deployment.md, fifth round). The answer is the endpoint's own (survey/api.ts,
 * submissionsPost: the same validation, screening, redaction, grouped commit, UUID idempotency and limits), with
 * the same security headers, in the language the hooks would choose (cookie, Accept-Language). Anything out of
 * the ordinary is handed to SvelteKit, which answers it as before: a query string (?lang= sets a cookie), a
 * cross-site post (refused there, in the person's language), a missing ADDRESS_HEADER, a body over the 64 KB the
 * server reads before the app (body-gate.ts), and every request until start-up has finished (SvelteKit holds them
 * until the database is open). Off with LEAN_SUBMISSIONS=0, or when ORIGIN is not set.
 */
export function leanSubmissionsRoute(env: NodeJS.ProcessEnv = process.env): NodeRoute | null {
	const s = settings(env);
	if (!s) return null;
	return (req, res, body) => {
		if (req.method !== 'POST' || !isStarted()) return false;
		const path = PATH.exec(req.url ?? '');
		if (!path) return false;
		const request = { method: 'POST', headers: { get: (name: string) => header(req, name) } };
		if (crossSiteWrite(request, s)) return false;
		const address = clientAddress(req, s);
		if (address === null) return false;
		const lang = chooseLanguage({
			query: null,
			cookie: cookie(req, LANGUAGE_COOKIE),
			acceptLanguage: header(req, 'accept-language')
		});
		void traceSubmission(lastWritten.get(req.socket), (t) =>
			inLanguage(lang, s.origin, () => answer(req, res, body, path[1], address, s, t))
		);
		return true;
	};
}

/** When each connection's last answer was written (SUBMIT_TRACE=1 only: the client's round trip). */
const lastWritten = new WeakMap<object, number>();

async function answer(
	req: IncomingMessage,
	res: ServerResponse,
	body: Buffer,
	slug: string,
	address: string,
	s: Settings,
	tl: SubmissionTrace | null = null
) {
	try {
		const { db } = await database();
		const declared = header(req, 'content-length');
		const reply = await submissionsPost({
			db,
			slug,
			contentType: header(req, 'content-type') ?? '',
			declaredTooLarge: declared !== null && !(Number(declared) <= MAX_SUBMISSION_BYTES),
			readBody: async () => {
				if (body.length > MAX_SUBMISSION_BYTES) throw new BodyTooLargeError(MAX_SUBMISSION_BYTES);
				return body.toString('utf8');
			},
			address: () => address
		});
		send(res, reply, s, isStopping());
		if (tl) lastWritten.set(req.socket, (tl.written = performance.now()));
	} catch (error) {
		// As hooks.server.ts handleError: a reference for the person, the same reference and the error in the log.
		const reference = errorReference();
		console.error(
			errorLogLine(reference, error, {
				method: 'POST',
				routeId: '/api/s/[slug]/submissions',
				path: (req.url ?? '').split('?')[0],
				status: 500
			})
		);
		if (res.headersSent) return void res.destroy();
		send(res, { status: 500, body: { message: serviceProblemMessage(reference), reference } }, s, isStopping());
	}
}
