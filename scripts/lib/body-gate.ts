import http from 'node:http';
import type net from 'node:net';
import { Readable } from 'node:stream';

/** Bodies up to this size are read whole before the app sees the request (the public routes' cap). */
export const GATE_BYTES = 64 * 1024;

export const GATE_TIMEOUT_MESSAGE = 'What you sent took too long to arrive. Please try again.';

type Listener = (req: http.IncomingMessage, res: http.ServerResponse) => void;
/** Given the whole body (when the gate read it): true when answered at this layer (a NodeRoute, below). */
type BodyListener = (req: http.IncomingMessage, res: http.ServerResponse, body?: Buffer) => void;

/**
 * A route the app answers at the node:http layer, in front of SvelteKit, given the whole body the gate read:
 * the app leaves it on globalThis under this key at start (src/lib/server/survey/lean-http.ts, the survey's JSON
 * submissions). It returns false for anything it leaves to SvelteKit.
 */
const NODE_ROUTE_KEY = Symbol.for('consult.nodeRoute');
type NodeRoute = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => boolean;

/**
 * Wraps the app's request listener so that a small request body (declared at
 * most GATE_BYTES, or chunked) is read in full at the Node layer BEFORE the app
 * sees the request. Why: each request handed to SvelteKit costs about a
 * millisecond of main-thread work (routing, hooks, a Request and its streams)
 * whether or not its body ever arrives, so 1,000 connections that send headers
 * and then stall mid-body held every other request (/healthz included) behind
 * a second or more of that work as they opened. Behind the gate a stalled
 * connection costs one data listener and one timer; after `seconds` it is
 * answered 408 with a short text and closed, without reaching the app (and
 * without 1,000 error pages being rendered at the same moment).
 *
 * A body that turns out larger than GATE_BYTES is handed on at once as the request
 * itself (what was read pushed back into it), so the app's own caps (the import's
 * 25 MB, staff forms' 2 MB, the 64 KB public cap) and timeouts still apply.
 */
export function gateBodies(listener: Listener, seconds: () => number): Listener {
	return gateWholeBodies(withBodyAsRequest.bind(null, listener), seconds);
}

/** The request as it came, or (with the body the gate read) the body stream dressed as the request. */
function withBodyAsRequest(listener: Listener, req: http.IncomingMessage, res: http.ServerResponse, body?: Buffer) {
	if (body === undefined) return listener(req, res);
	const stream = new Readable({ read: noop });
	stream.push(body);
	stream.push(null);
	listener(asRequest(stream, req), res);
}

/** gateBodies, giving the listener the whole body as a Buffer when the gate read it. */
function gateWholeBodies(listener: BodyListener, seconds: () => number): Listener {
	// One object per request with its handlers bound once: no closures per request (tsx names
	// every closure it compiles, which cost more than the rest of the gate under 1,000 connections).
	return (req, res) => {
		const te = req.headers['transfer-encoding'];
		const declared = req.headers['content-length'];
		const hasBody = te !== undefined || (declared !== undefined && declared !== '0');
		if (
			!hasBody ||
			req.method === 'GET' ||
			req.method === 'HEAD' ||
			(te === undefined && !(Number(declared) <= GATE_BYTES))
		)
			return listener(req, res);
		new Gate(req, res, listener, seconds() * 1000);
	};
}

class Gate {
	chunks: Buffer[] = [];
	size = 0;
	settled = false;
	timer: NodeJS.Timeout;
	onData: (c: Buffer) => void;
	onEnd: () => void;
	onGone: () => void;

	constructor(
		readonly req: http.IncomingMessage,
		readonly res: http.ServerResponse,
		readonly listener: BodyListener,
		ms: number
	) {
		this.onData = this.data.bind(this);
		this.onEnd = this.handOn.bind(this, true);
		this.onGone = this.finish.bind(this);
		this.timer = setTimeout(this.tooSlow.bind(this), ms);
		this.timer.unref();
		req.on('data', this.onData);
		req.on('end', this.onEnd);
		req.on('error', this.onGone);
		req.on('close', this.onGone);
	}

	data(c: Buffer) {
		this.chunks.push(c);
		this.size += c.length;
		if (this.size > GATE_BYTES) this.handOn(false);
	}

	finish() {
		this.settled = true;
		clearTimeout(this.timer);
		this.req.off('data', this.onData);
		this.req.off('end', this.onEnd);
		this.req.off('error', this.onGone);
		this.req.off('close', this.onGone);
	}

	tooSlow() {
		if (this.settled) return;
		this.finish();
		const { req, res } = this;
		if (res.headersSent || res.writableEnded) return void req.socket.destroy();
		// The rest of the body is never read: the connection goes once the answer is out, gracefully where the
		// close lingers (Connection: close makes Node call the socket's destroySoon), else at once.
		if (!lingers(req.socket)) res.once('finish', destroySocket.bind(null, req));
		res.writeHead(408, {
			'content-type': 'text/plain; charset=utf-8',
			connection: 'close',
			'cache-control': 'no-store'
		});
		res.end(GATE_TIMEOUT_MESSAGE);
	}

	handOn(complete: boolean) {
		if (this.settled) return;
		this.finish();
		const { req } = this;
		if (!complete) {
			// Too large for the gate: the bytes read go back into the request itself, which is handed on
			// as it came (so Node ends an unread oversize body exactly as it would have without the gate).
			req.pause();
			req.unshift(Buffer.concat(this.chunks));
			return this.listener(req, this.res);
		}
		this.listener(req, this.res, Buffer.concat(this.chunks, this.size));
	}
}

function noop() {}

function destroySocket(req: http.IncomingMessage) {
	req.socket.destroy();
}

/** The body stream dressed as the request it came from (what adapter-node, polka and sirv read of it). */
function asRequest(body: Readable, req: http.IncomingMessage): http.IncomingMessage {
	const r = body as unknown as http.IncomingMessage & Record<string, unknown>;
	Object.assign(r, {
		headers: req.headers,
		rawHeaders: req.rawHeaders,
		trailers: req.trailers,
		method: req.method,
		url: req.url,
		httpVersion: req.httpVersion,
		httpVersionMajor: req.httpVersionMajor,
		httpVersionMinor: req.httpVersionMinor,
		socket: req.socket,
		connection: req.socket,
		complete: true,
		aborted: false
	});
	return r;
}

/**
 * The bounds of a lingering close (below). After its answer has gone, a connection may go on sending for at most
 * LINGER_MS, then it is dropped; of what it sends, at most LINGER_BYTES are read off the wire and thrown away,
 * then reading stops (the client's sending stalls on a full window) until the client closes or the time is up.
 * Why these: the linger only has to outlast the answer's trip to the client and the client's reading of it, a
 * round trip or two (tens of milliseconds on a phone network, under a second on a bad one), so 2 s covers it
 * while a slow or endless sender holds its socket for 2 s at most (never the request timeout). The bytes bound
 * the CPU: everything discarded goes through Node's HTTP parser, and a fast sender on a fast link could push
 * gigabytes through it in 2 s; 1 MB bounds one connection's cost, however fast it sends. The byte bound stops
 * the reading rather than dropping the connection: a drop resets it, and a client that has not yet read its
 * answer when the reset comes loses it ("write EPIPE"). At loopback speed a sender's first megabyte after the
 * answer was already in the kernels' buffers before the answer reached it (60 concurrent 24 MB posts, dropped
 * after 1 MB: many of them saw EPIPE), so only time can tell when the client has had its answer.
 */
export const LINGER_MS = 2000;
export const LINGER_BYTES = 1024 * 1024;

/**
 * LINGERING_CLOSE=off: Node's own close, at once, for connections answered before their body was read (the
 * old behaviour; for an A/B on one build). Read per connection, when it opens.
 */
export function lingeringClose(env: NodeJS.ProcessEnv = process.env): boolean {
	return env.LINGERING_CLOSE !== 'off';
}

/** On a socket whose close lingers: what may still be read before it is dropped (set when the linger starts). */
const LINGER_LEFT = Symbol('lingerBytesLeft');
type LingeringSocket = net.Socket & { [LINGER_LEFT]?: number };

/**
 * A graceful close for a connection whose answer went out before its body was read (a 413
 * or 408, with Connection: close). Node's own close (socket.destroySoon) sends the answer,
 * then closes the socket at once; the client is still sending, and closing a socket with
 * unread bytes in its receive buffer makes the kernel answer with a reset, which can reach the
 * client before it has read the answer: it sees "EPIPE" or "connection reset" instead of
 * the 413 (9–15 of 60 concurrent 24 MB posts did). So, as web servers do ("lingering
 * close"): send the answer and a FIN, keep reading and throwing away what still arrives
 * (discardUnreadBody, up to LINGER_BYTES), and close when the client closes its side, or
 * after LINGER_MS at most.
 */
function lingeringDestroySoon(this: LingeringSocket) {
	if (this.writable) this.end();
	if (this.destroyed || this.readableEnded) return void this.destroy();
	this[LINGER_LEFT] = LINGER_BYTES;
	const drop = this.destroy.bind(this, undefined);
	const timer = setTimeout(drop, LINGER_MS);
	timer.unref();
	this.once('end', drop);
	this.once('close', clearTimeout.bind(null, timer));
}

/** Counts what a lingering socket's unread body still brings, and stops reading it past LINGER_BYTES. */
function countDiscarded(this: http.IncomingMessage, chunk: Buffer) {
	const socket = this.socket as LingeringSocket | null;
	const left = socket?.[LINGER_LEFT];
	if (socket === null || left === undefined) return;
	socket[LINGER_LEFT] = left - chunk.length;
	if (left - chunk.length >= 0) return;
	// Enough: no more is read (the request's buffer fills, then Node stops reading the socket); the timer drops it.
	// (Unread, a client's own close is not seen either: such a socket also goes at LINGER_MS.)
	this.off('data', countDiscarded);
	this.pause();
}

/** The rest of a body nobody will read (its answer has gone): read off the wire and thrown away. */
function discardUnreadBody(req: http.IncomingMessage) {
	if (req.complete) return;
	req.removeAllListeners('data');
	req.on('data', countDiscarded);
	req.resume();
}

function lingerOn(socket: net.Socket) {
	if (lingeringClose()) socket.destroySoon = lingeringDestroySoon;
}

function lingers(socket: net.Socket | null): boolean {
	return socket !== null && socket.destroySoon === lingeringDestroySoon;
}

/**
 * Makes the server's 'request' event (every listener of it at once) go through the gate,
 * and closes connections answered before their body was read gracefully (lingeringDestroySoon).
 */
export function gateServer(server: http.Server, seconds: () => number): http.Server {
	const emit = server.emit.bind(server) as (event: string | symbol, ...args: unknown[]) => boolean;
	const toApp: Listener = (req, res) => void emit('request', req, res);
	const gated = gateWholeBodies((req, res, body) => {
		if (body !== undefined) {
			const route = (globalThis as Record<symbol, NodeRoute | null | undefined>)[NODE_ROUTE_KEY];
			if (route && route(req, res, body)) return;
		}
		withBodyAsRequest(toApp, req, res, body);
	}, seconds);
	server.on('connection', lingerOn);
	server.emit = ((event: string | symbol, ...args: unknown[]) => {
		if (event !== 'request') return emit(event, ...args);
		const req = args[0] as http.IncomingMessage;
		const res = args[1] as http.ServerResponse;
		// LINGERING_CLOSE=off: as before the lingering close, Node's own handling of an unread body.
		if (lingers(req.socket)) res.once('finish', discardUnreadBody.bind(null, req));
		gated(req, res);
		return true;
	}) as typeof server.emit;
	return server;
}
