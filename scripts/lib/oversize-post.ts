/**
 * An abusive client for the body-size limits (issue #11): posts a large chunked body to a
 * public form route as fast as the server reads it. Shared by the oversize test and the web
 * bench so both measure the same thing.
 */
export const OVERSIZE_BYTES = 24 * 1024 * 1024;
const CHUNK = new Uint8Array(64 * 1024).fill(97);

export interface OversizeResult {
	/** The HTTP status read, or what cut the request off ("TypeError: other side closed"). */
	status: number | string;
	/** Bytes the client got to hand to the connection before the answer. */
	sent: number;
}

/** One client posting `bytes` of chunked form body to `path` (default /login) on `url`. */
export async function oversizePost(url: string, bytes = OVERSIZE_BYTES, path = '/login'): Promise<OversizeResult> {
	let sent = 0;
	const body = new ReadableStream<Uint8Array>({
		pull(c) {
			if (sent >= bytes) return c.close();
			sent += CHUNK.byteLength;
			c.enqueue(CHUNK);
		}
	});
	try {
		const r = await fetch(`${url}${path}`, {
			method: 'POST',
			headers: { origin: url, 'content-type': 'application/x-www-form-urlencoded' },
			body,
			duplex: 'half',
			signal: AbortSignal.timeout(60_000)
		} as RequestInit);
		await r.arrayBuffer().catch(() => {});
		return { status: r.status, sent };
	} catch (e) {
		const status = e instanceof Error ? `${e.name}: ${(e.cause as Error | undefined)?.message ?? e.message}` : 'error';
		return { status, sent };
	}
}
