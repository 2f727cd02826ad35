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

/**
 * Reads the body as text, stopping as soon as it passes `limit` bytes, so a
 * chunked body without a Content-Length is never read in full.
 */
export async function readCappedText(request: Request, limit = MAX_SUBMISSION_BYTES): Promise<string> {
	if (declaredTooLarge(request, limit)) throw new BodyTooLargeError(limit);
	if (!request.body) return '';
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let total = 0;
	for (;;) {
		let chunk: ReadableStreamReadResult<Uint8Array>;
		try {
			chunk = await reader.read();
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
	return Buffer.concat(chunks, total).toString('utf8');
}
