import { isHttpError } from '@sveltejs/kit';
import { MAX_SUBMISSION_BYTES } from '../../schemas/submission';

export class BodyTooLargeError extends Error {
	constructor(readonly limit: number) {
		super(`The request body is larger than ${limit} bytes.`);
	}
}

/** True when the declared Content-Length is already over the limit (nothing read yet). */
export function declaredTooLarge(request: Request, limit = MAX_SUBMISSION_BYTES): boolean {
	const declared = request.headers.get('content-length');
	if (declared === null) return false;
	const n = Number(declared);
	return !Number.isFinite(n) || n > limit;
}

/** The body did not arrive within the time allowed (answered 408, connection closed). */
export class BodyTooSlowError extends Error {
	constructor(readonly seconds: number) {
		super(`The request body took longer than ${seconds} s to arrive.`);
	}
}

/**
 * Reads the body as text, stopping as soon as it passes `limit` bytes, so a
 * chunked body without a Content-Length is never read in full; and, given
 * `seconds`, failing with BodyTooSlowError when the whole body has not arrived
 * by then (a route that the hooks' streamed cap skips keeps the time limit this way).
 */
export async function readCappedText(
	request: Request,
	limit = MAX_SUBMISSION_BYTES,
	seconds?: number
): Promise<string> {
	if (declaredTooLarge(request, limit)) throw new BodyTooLargeError(limit);
	if (!request.body) return '';
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let total = 0;
	let timer: ReturnType<typeof setTimeout> | undefined;
	const late =
		seconds === undefined
			? null
			: new Promise<never>((_, reject) => {
					timer = setTimeout(() => reject(new BodyTooSlowError(seconds)), seconds * 1000);
					timer.unref?.();
				});
	late?.catch(() => {}); // raced below; unhandled only when the body came in time
	try {
		for (;;) {
			let chunk: ReadableStreamReadResult<Uint8Array>;
			try {
				chunk = await (late ? Promise.race([reader.read(), late]) : reader.read());
			} catch (e) {
				// The hooks' own cap (limitBodies) stopped the stream: the same answer as ours.
				if (isHttpError(e, 413)) throw new BodyTooLargeError(limit);
				throw e;
			}
			const { done, value } = chunk;
			if (done) break;
			total += value.byteLength;
			if (total > limit) {
				// Stop reading without cancelling: cancelling would destroy the socket before
				// the 413 is sent. The response carries Connection: close, so the rest is never read.
				reader.releaseLock();
				throw new BodyTooLargeError(limit);
			}
			chunks.push(value);
		}
	} finally {
		clearTimeout(timer);
	}
	return Buffer.concat(chunks, total).toString('utf8');
}
