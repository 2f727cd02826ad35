import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { leanSubmissionsRoute } from './lean-http';
import { markReady, markStopping } from '../readiness';
import type { Db } from '../db/connect';

const ORIGIN = 'http://127.0.0.1:3000';
const request = (url: string, headers: Record<string, string> = {}, method = 'POST') =>
	({
		method,
		url,
		headers: { 'content-type': 'application/json', ...headers },
		socket: { remoteAddress: '127.0.0.1' }
	}) as unknown as IncomingMessage;
const response = {} as ServerResponse;
const body = Buffer.from('{}');

describe('the lean submissions route (what it leaves to SvelteKit)', () => {
	afterEach(() => markStopping());

	it('is off without ORIGIN or with LEAN_SUBMISSIONS=0', () => {
		expect(leanSubmissionsRoute({})).toBeNull();
		expect(leanSubmissionsRoute({ ORIGIN, LEAN_SUBMISSIONS: '0' })).toBeNull();
		expect(leanSubmissionsRoute({ ORIGIN })).toBeTypeOf('function');
	});

	it('hands on everything until start-up has finished', () => {
		const route = leanSubmissionsRoute({ ORIGIN })!;
		expect(route(request('/api/s/youth-voice/submissions'), response, body)).toBe(false);
	});

	it('hands on other paths and methods, query strings, cross-site posts and a missing ADDRESS_HEADER', () => {
		markReady({} as Db);
		const route = leanSubmissionsRoute({ ORIGIN })!;
		for (const req of [
			request('/api/s/youth-voice/submissions', {}, 'GET'),
			request('/api/s/youth-voice/submissions?lang=cy'),
			request('/api/s/youth-voice/other'),
			request('/api/s/Youth%20Voice/submissions'),
			request('/api/s/youth-voice/submissions', { origin: 'https://elsewhere.example' }),
			request('/api/s/youth-voice/submissions', { 'sec-fetch-site': 'cross-site' })
		])
			expect(route(req, response, body), `${req.method} ${req.url} ${JSON.stringify(req.headers)}`).toBe(false);
		const behindProxy = leanSubmissionsRoute({ ORIGIN, ADDRESS_HEADER: 'X-Forwarded-For', XFF_DEPTH: '2' })!;
		expect(behindProxy(request('/api/s/youth-voice/submissions'), response, body)).toBe(false);
		expect(
			behindProxy(request('/api/s/youth-voice/submissions', { 'x-forwarded-for': '10.0.0.1' }), response, body)
		).toBe(false);
	});
});
