import { describe, expect, it } from 'vitest';
import { sameOriginPath } from '../src/lib/server/auth/next';
import { cleanText } from '../src/lib/schemas/text';
import { submissionSchema } from '../src/lib/schemas/submission';
import { entrySchema } from '../src/lib/server/entry/entries';
import { clientKey } from '../src/lib/server/http/client-key';
import { delayAfter, FailureDelays } from '../src/lib/server/auth/delays';
import { SubmissionLimiter } from '../src/lib/server/survey/rate-limit';
import { WriterStoppedError } from '../src/lib/server/survey/writer-thread';
import { errorLogLine, errorReference } from '../src/lib/server/http/errors';
import { bodyLimitFor, cappedRequest } from '../src/lib/server/http/body-limits';

const ORIGIN = new URL('https://consult.example.gov.uk/login');

describe('sign-in `next`: a path on this site only', () => {
	it('keeps same-origin paths with their query', () => {
		expect(sameOriginPath('/admin/c/x/review?q=1#a', ORIGIN)).toBe('/admin/c/x/review?q=1#a');
		expect(sameOriginPath('/entry', ORIGIN)).toBe('/entry');
	});
	it.each([
		['/\t/evil.example/phish'],
		['/\n/evil.example'],
		['/admin\r\nSet-Cookie: x=1'],
		['//evil.example'],
		['/\\evil.example'],
		['https://evil.example/'],
		['javascript:alert(1)'],
		['/%00'.replace('%00', '\u0000')],
		['admin'],
		['/login?next=/admin'],
		['/logout'],
		['']
	])('refuses %j', (next) => {
		expect(sameOriginPath(next, ORIGIN)).toBeNull();
	});
	it('never returns anything a browser would resolve to another origin', () => {
		for (const next of [
			'/\t/evil.example',
			'/ /evil.example',
			'/.//evil.example',
			'/%2F/evil.example',
			'/..//evil.example'
		]) {
			const path = sameOriginPath(next, ORIGIN);
			if (path !== null) expect(new URL(path, ORIGIN).origin).toBe(ORIGIN.origin);
		}
	});
});

describe('one text-cleaning rule', () => {
	it('removes NUL and other control characters, keeps tabs, line breaks and every other letter', () => {
		expect(cleanText('a\u0000b\u0007c\u001Fd\u007Fe')).toBe('abcde');
		expect(cleanText('line one\r\nline two\ttabbed')).toBe('line one\r\nline two\ttabbed');
		expect(cleanText('مرحبا 👋 Zoë')).toBe('مرحبا 👋 Zoë');
	});
	it('is used by the survey schema and the entry sync schema alike', () => {
		const sub = submissionSchema.parse({
			id: '5b0e2f4c-9a44-4f5e-9c55-1d7c5a0e3b21',
			perspectives: [{ group: 'child', answers: { q1: 'my\u0000 park' } }],
			about: { genderSelfDescribe: 'x\u0000y' }
		});
		expect(sub.perspectives[0].answers.q1).toBe('my park');
		expect(sub.about?.genderSelfDescribe).toBe('xy');
		const leaf = entrySchema.parse({
			id: '5b0e2f4c-9a44-4f5e-9c55-1d7c5a0e3b21',
			sessionId: 1,
			questionKey: 'q1',
			group: null,
			district: null,
			text: 'a\u0000b'
		});
		expect(leaf.text).toBe('ab');
	});
});

describe('client keys for the limits', () => {
	it('counts IPv4 one by one and IPv6 by its /64', () => {
		expect(clientKey('192.0.2.7')).toBe('192.0.2.7');
		expect(clientKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
		expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
		expect(clientKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
		expect(clientKey('2001:db8:1:3::1')).not.toBe(clientKey('2001:db8:1:2::1'));
		expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
		expect(clientKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
		expect(clientKey('')).toBe('unknown');
	});
});

describe('progressive sign-in delays', () => {
	const policy = { free: 3, baseSeconds: 1, maxSeconds: 60, forgetSeconds: 900 };
	it('lets the first failures through, then doubles the wait up to the maximum', () => {
		expect([0, 1, 2, 3, 4, 5, 6, 9, 40].map((n) => delayAfter(n, policy))).toEqual([0, 0, 0, 1, 2, 4, 8, 60, 60]);
	});
	it('asks for the wait since the last failure, forgets after the quiet period, and clears on success', () => {
		const d = new FailureDelays(policy);
		const t0 = 1_000_000;
		for (let i = 0; i < 5; i++) d.fail('k', t0);
		expect(d.waitSeconds('k', t0)).toBe(4);
		expect(d.waitSeconds('k', t0 + 3_500)).toBe(1);
		expect(d.waitSeconds('k', t0 + 4_000)).toBe(0);
		expect(d.waitSeconds('other', t0)).toBe(0);
		expect(d.failures('k', t0 + 900_000)).toBe(0);
		d.fail('k', t0);
		d.clear('k');
		expect(d.failures('k', t0)).toBe(0);
	});
	it('remembers a bounded number of keys', () => {
		const d = new FailureDelays(policy, 100);
		for (let i = 0; i < 1000; i++) d.fail(`k${i}`, 0);
		expect(d.failures('k0', 0)).toBe(0);
		expect(d.failures('k999', 0)).toBe(1);
	});
});

describe('the survey limiter counts only stored submissions', () => {
	const settings = { perAddress: 60, windowSeconds: 300, maxConcurrent: 40, perSecond: 1000 };
	const created = async () => ({ kind: 'created' as const });
	const invalid = async () => ({ kind: 'invalid' as const });

	it('lets a class of 35 send from one address, and refuses past the limit with a Retry-After', async () => {
		const limiter = new SubmissionLimiter({ ...settings, perAddress: 40 });
		const results = await Promise.all(Array.from({ length: 35 }, () => limiter.run('203.0.113.9', created)));
		expect(results.every((r) => r.kind === 'created')).toBe(true);
		for (let i = 0; i < 5; i++) expect((await limiter.run('203.0.113.9', created)).kind).toBe('created');
		const refused = await limiter.run('203.0.113.9', created);
		expect(refused).toMatchObject({ kind: 'refused', reason: 'address' });
		expect((refused as { retryAfter: number }).retryAfter).toBeGreaterThan(0);
		expect((await limiter.run('203.0.113.10', created)).kind).toBe('created');
	});

	it('does not count invalid posts: 20 empty posts do not lock a school out', async () => {
		const limiter = new SubmissionLimiter({ ...settings, perAddress: 3 });
		for (let i = 0; i < 20; i++) expect((await limiter.run('198.51.100.1', invalid)).kind).toBe('invalid');
		for (let i = 0; i < 3; i++) expect((await limiter.run('198.51.100.1', created)).kind).toBe('created');
		expect((await limiter.run('198.51.100.1', created)).kind).toBe('refused');
	});

	it('counts a whole IPv6 /64 as one address', async () => {
		const limiter = new SubmissionLimiter({ ...settings, perAddress: 2 });
		await limiter.run('2001:db8:5:6::1', created);
		await limiter.run('2001:db8:5:6::2', created);
		expect((await limiter.run('2001:db8:5:6:ffff::3', created)).kind).toBe('refused');
		expect((await limiter.run('2001:db8:5:7::1', created)).kind).toBe('created');
	});

	it('the breaker asks everyone to wait while too many are being stored at once, then lets them through', async () => {
		const limiter = new SubmissionLimiter({ ...settings, maxConcurrent: 2 });
		let open!: () => void;
		const gate = new Promise<void>((r) => (open = r));
		const slow = async () => {
			await gate;
			return { kind: 'created' as const };
		};
		const first = [limiter.run('192.0.2.1', slow), limiter.run('192.0.2.2', slow)];
		expect(await limiter.run('192.0.2.3', created)).toMatchObject({ kind: 'refused', reason: 'busy' });
		open();
		expect((await Promise.all(first)).map((r) => r.kind)).toEqual(['created', 'created']);
		expect((await limiter.run('192.0.2.3', created)).kind).toBe('created');
	});

	it('a stopped writer thread is a refusal to retry (the form keeps the answers), not an error page', async () => {
		const limiter = new SubmissionLimiter(settings);
		const stopped = async (): Promise<{ kind: 'created' }> => {
			throw new WriterStoppedError(
				'the submission writer thread stopped (killed); nothing of its batch was acknowledged'
			);
		};
		expect(await limiter.run('192.0.2.9', stopped)).toMatchObject({ kind: 'refused', reason: 'writer', retryAfter: 1 });
		// Not counted against the address: nothing was stored.
		const strict = new SubmissionLimiter({ ...settings, perAddress: 1 });
		await strict.run('192.0.2.9', stopped);
		expect((await strict.run('192.0.2.9', created)).kind).toBe('created');
		// Any other fault still reaches the error handler.
		await expect(limiter.run('192.0.2.9', () => Promise.reject(new Error('disk full')))).rejects.toThrow('disk full');
	});

	it('the breaker caps submissions per second from everyone', async () => {
		const limiter = new SubmissionLimiter({ ...settings, perSecond: 5 });
		const kinds = [];
		for (let i = 0; i < 8; i++) kinds.push((await limiter.run(`192.0.2.${i}`, created)).kind);
		expect(kinds.filter((k) => k === 'created')).toHaveLength(5);
		expect(kinds.slice(5)).toEqual(['refused', 'refused', 'refused']);
	});
});

describe('error log lines', () => {
	it('carry the reference and the fault, never what the person sent', () => {
		let parseError: unknown;
		try {
			JSON.parse('{"answer": "my stepdad shouts');
		} catch (e) {
			parseError = e;
		}
		const reference = errorReference();
		expect(reference).toMatch(/^E-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
		const line = errorLogLine(reference, parseError, {
			method: 'POST',
			routeId: '/s/[slug]/check',
			path: '/s/x/check',
			status: 500
		});
		expect(JSON.parse(line)).toMatchObject({
			reference,
			route: '/s/[slug]/check',
			path: '/s/x/check',
			error: 'SyntaxError'
		});
		expect(line).not.toContain('stepdad');
	});
});

describe('body caps', () => {
	it('gives signed-out posts 64 KB everywhere and the import its own cap', () => {
		expect(bodyLimitFor('/login', false).bytes).toBe(64 * 1024);
		expect(bodyLimitFor('/admin/import', false).bytes).toBe(64 * 1024);
		expect(bodyLimitFor('/s/x/check', true).bytes).toBe(64 * 1024);
		expect(bodyLimitFor('/admin/import', true).bytes).toBeGreaterThan(10 * 1024 * 1024);
	});
	it('fails a chunked body as soon as it passes the cap, having read little more', async () => {
		let sent = 0;
		const body = new ReadableStream<Uint8Array>({
			pull(c) {
				sent += 8192;
				c.enqueue(new Uint8Array(8192));
				if (sent > 10 * 1024 * 1024) c.close();
			}
		});
		const request = cappedRequest(
			new Request('http://x/', { method: 'POST', body, duplex: 'half' } as RequestInit),
			64 * 1024,
			20
		);
		await expect(request.text()).rejects.toMatchObject({ status: 413 });
		expect(sent).toBeLessThan(256 * 1024);
	});
	it('fails a body that trickles in past its deadline with 408', async () => {
		const body = new ReadableStream<Uint8Array>({ pull: () => new Promise(() => {}) });
		const request = cappedRequest(
			new Request('http://x/', { method: 'POST', body, duplex: 'half' } as RequestInit),
			64 * 1024,
			0.2
		);
		await expect(request.text()).rejects.toMatchObject({ status: 408 });
	});
});
