import http from 'node:http';
import { gateServer } from './body-gate';

export interface ServerTimeouts {
	headersSeconds: number;
	keepAliveSeconds: number;
	requestSeconds: number;
}

/** PUBLIC_BODY_TIMEOUT (default 20 s), as the app's hooks read it (src/lib/server/http/body-limits.ts). */
function publicBodySeconds(env: NodeJS.ProcessEnv): number {
	const n = Number(env.PUBLIC_BODY_TIMEOUT);
	return Number.isFinite(n) && n > 0 ? n : 20;
}

function seconds(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
	const raw = env[name];
	if (raw === undefined || raw === '') return fallback;
	const n = Number(raw);
	if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a number of seconds above 0, not "${raw}"`);
	return n;
}

/**
 * Timeouts on the Node server, so slow or idle connections cannot pile up:
 * - HEADERS_TIMEOUT (default 10 s): a client must finish sending its headers within this;
 * - KEEP_ALIVE_TIMEOUT (default 5 s): an idle kept-alive connection is closed after this;
 * - REQUEST_TIMEOUT (default 120 s): the whole request, body included (Node's own default is 300 s).
 * adapter-node reads the first two from the environment (set here when unset). It has no
 * variable for the third, nor for how often Node checks (every 30 s by default, so a
 * 10 s headers timeout could let a connection sit 40 s): both are set on the server it
 * creates, by wrapping http.createServer before build/index.js is imported.
 * (Public routes also give a body PUBLIC_BODY_TIMEOUT seconds: see src/lib/server/http/body-limits.ts.)
 * The server it creates also reads every body of up to 64 KB whole before the app sees the
 * request (body-gate.ts), so stalled slow-body connections cost the app nothing.
 */
export function applyServerTimeouts(env: NodeJS.ProcessEnv = process.env): {
	timeouts: ServerTimeouts;
	restore: () => void;
} {
	const timeouts = {
		headersSeconds: seconds(env, 'HEADERS_TIMEOUT', 10),
		keepAliveSeconds: seconds(env, 'KEEP_ALIVE_TIMEOUT', 5),
		requestSeconds: seconds(env, 'REQUEST_TIMEOUT', 120)
	};
	if (timeouts.headersSeconds > timeouts.requestSeconds)
		throw new Error('HEADERS_TIMEOUT must not be longer than REQUEST_TIMEOUT');
	env.HEADERS_TIMEOUT = String(timeouts.headersSeconds);
	env.KEEP_ALIVE_TIMEOUT = String(timeouts.keepAliveSeconds);
	const original = http.createServer;
	const options: http.ServerOptions = {
		requestTimeout: timeouts.requestSeconds * 1000,
		headersTimeout: timeouts.headersSeconds * 1000,
		keepAliveTimeout: timeouts.keepAliveSeconds * 1000,
		connectionsCheckingInterval: Math.min(2000, timeouts.headersSeconds * 500)
	};
	http.createServer = ((...args: unknown[]) => {
		// adapter-node calls createServer() with no options; anything else passes through unchanged.
		if (args.length === 0 || typeof args[0] === 'function') {
			const server = (original as (...a: unknown[]) => http.Server)(options);
			// Small bodies are read whole before the app sees them (see body-gate.ts), with the public routes' body timeout.
			gateServer(server, () => publicBodySeconds(env));
			if (typeof args[0] === 'function') server.on('request', args[0] as http.RequestListener);
			return server;
		}
		return (original as (...a: unknown[]) => http.Server)(...args);
	}) as typeof http.createServer;
	return { timeouts, restore: () => void (http.createServer = original) };
}
