import { randomBytes } from 'node:crypto';

/** A short reference a person can quote to the service desk, e.g. "E-7K3Q-9XWD" (no 0/O or 1/I to misread). */
export function errorReference(): string {
	const alphabet = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
	const bytes = randomBytes(8);
	const chars = [...bytes].map((b) => alphabet[b % alphabet.length]);
	return `E-${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`;
}

/** What a person is told of an unexpected error (hooks.server.ts handleError; the lean submissions route). */
export function serviceProblemMessage(reference: string): string {
	return `Sorry, there is a problem with the service (error reference ${reference})`;
}

interface ErrorContext {
	method: string;
	/** The route pattern (e.g. /admin/c/[slug]/review), when known. */
	routeId: string | null;
	/** The path only: never the query string, which may hold what someone typed. */
	path: string;
	status: number;
}

/**
 * An error message with its quoted parts blanked: parsers and databases quote
 * the input they choked on (`"my stepdad..." is not valid JSON`,
 * `invalid input syntax for type integer: "..."`).
 */
export function withoutQuoted(message: string): string {
	return message.replace(/"[^"]*"?|'[^']*'?|`[^`]*`?/g, '"…"');
}

/**
 * One log line for an unexpected error, by its reference. It holds what is
 * needed to find the fault (route, path, error class, code, message, stack)
 * and nothing a person sent: no body, no query string, no headers or cookies,
 * and none of a database error's `detail`/`where` fields, which quote values.
 */
export function errorLogLine(reference: string, error: unknown, ctx: ErrorContext): string {
	const e = error instanceof Error ? error : null;
	const code =
		e && 'code' in e && typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : undefined;
	const stack = e?.stack?.split('\n').slice(1, 12).join('\n') ?? '';
	return JSON.stringify({
		level: 'error',
		reference,
		status: ctx.status,
		method: ctx.method,
		route: ctx.routeId,
		path: ctx.path.slice(0, 300),
		error: e?.name ?? typeof error,
		code,
		message: withoutQuoted(e?.message ?? '').slice(0, 300),
		stack
	});
}
