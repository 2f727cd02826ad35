/** The one cross-site write check (the route matrix test drives it through every route on the built server). */
import { describe, expect, it } from 'vitest';
import { crossSiteWrite } from '../src/lib/server/http/security-headers';

const url = new URL('https://consult.example/api/entry/sync');
const request = (method: string, headers: Record<string, string>) =>
	new Request(url, { method, headers, body: method === 'GET' ? undefined : '{}' });

describe('crossSiteWrite', () => {
	it('refuses a JSON write naming another site by Origin or by Sec-Fetch-Site, for every unsafe method', () => {
		for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
			expect(
				crossSiteWrite(request(method, { 'content-type': 'application/json', origin: 'https://evil.example' }), url)
			).toBe(true);
			expect(
				crossSiteWrite(request(method, { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' }), url)
			).toBe(true);
			expect(
				crossSiteWrite(
					request(method, { 'content-type': 'application/octet-stream', origin: 'https://evil.example' }),
					url
				)
			).toBe(true);
		}
	});

	it('lets same-site writes, reads, and callers without a browser through', () => {
		expect(
			crossSiteWrite(
				request('POST', { 'content-type': 'application/json', origin: url.origin, 'sec-fetch-site': 'same-origin' }),
				url
			)
		).toBe(false);
		expect(crossSiteWrite(request('POST', { 'content-type': 'application/json' }), url)).toBe(false);
		expect(crossSiteWrite(request('GET', { origin: 'https://evil.example' }), url)).toBe(false);
	});

	it("refuses a form post without this site's Origin (SvelteKit's own check, turned off for this one), lets one with it through", () => {
		for (const type of [
			'application/x-www-form-urlencoded',
			'multipart/form-data; boundary=x',
			'text/plain;charset=UTF-8'
		]) {
			expect(crossSiteWrite(request('POST', { 'content-type': type, origin: 'https://evil.example' }), url)).toBe(true);
			expect(crossSiteWrite(request('POST', { 'content-type': type, origin: 'null' }), url)).toBe(true);
			expect(crossSiteWrite(request('POST', { 'content-type': type }), url)).toBe(true);
			expect(crossSiteWrite(request('POST', { 'content-type': type, 'sec-fetch-site': 'cross-site' }), url)).toBe(true);
			expect(crossSiteWrite(request('POST', { 'content-type': type, origin: url.origin }), url)).toBe(false);
		}
	});
});
