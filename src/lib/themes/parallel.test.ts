import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeAnswers, trainCoder, type Answer, type Coder } from './coder';
import { parseCodebook } from './codebook';
import { parseCodedCsv } from './csv';
import { Vectorizer } from './features';
import { KeywordMatcher, analyse } from './keywords';
import { sigmoidPlatt } from './linear';
import { codeAnswersParallel } from './parallel';
import { Speller } from './text';

const fx = path.resolve(__dirname, '../../../tests/fixtures/themes');
const codebook = parseCodebook(fs.readFileSync(path.join(fx, 'codebook.json'), 'utf8'));
const coded = parseCodedCsv(
	fs.readFileSync(path.join(fx, 'coded.csv'), 'utf8'),
	'coded.csv',
	new Set(codebook.themes.map((t) => t.id))
);

/** Awkward inputs for the per-token cache and the ASCII fast path. */
const tricky = [
	"I don't have a pet, but my frends' dogs are gr8!!",
	'CAFÉ naïve Straße İstanbul ﬁne ½ `tick` ´acute´ A&E ‘smart’ “quotes” ʼmod',
	"'''  n't 's rock'n'roll o'clock can't WON'T they're we'll I'd",
	'constructor toString valueOf __proto__ hasOwnProperty',
	'',
	'   \t\n',
	'buses buses buses buses the bus the bus train train train',
	'nothing to do nothing to do there is nothing for us to do'
];

/** The answers the fixture and the tricky texts make, repeated and recombined. */
function batch(n: number): Answer[] {
	const texts = [...coded.map((c) => c.text), ...tricky];
	return Array.from({ length: n }, (_, i) => ({
		id: `r${i}`,
		text: i % 3 ? texts[i % texts.length] : `${texts[i % texts.length]} ${texts[(i * 7) % texts.length]}`
	}));
}

/**
 * Scores as the coder computed them before the fast path: analyse, vectorize, keyword and bias
 * columns, dense accumulation over all themes, Platt.
 */
function referenceScores(coder: Coder, text: string): Float64Array {
	const m = coder.model;
	const b64 = (s: string) => {
		const b = Buffer.from(s, 'base64');
		return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
	};
	const T = m.themes.length;
	const a = analyse(text, new Speller(m.spellerVocabulary));
	const kw = new KeywordMatcher(m.codebook).score(a);
	const vec = new Vectorizer(
		new Int32Array(b64(m.vectorizer!.hashes)),
		new Float32Array(b64(m.vectorizer!.idf)),
		m.vectorizer!.charStart
	);
	const W = new Float32Array(b64(m.weights!));
	const base = vec.vectorize(a);
	const idx = [...base.idx];
	const val = [...base.val];
	for (let t = 0; t < T; t++)
		if (kw[t] > 0) {
			idx.push(vec.dims + t);
			val.push(Math.fround(kw[t]));
		}
	idx.push(vec.dims + T);
	val.push(1);
	const dec = new Float64Array(T);
	for (let k = 0; k < idx.length; k++) for (let t = 0; t < T; t++) dec[t] += W[idx[k] * T + t] * val[k];
	return Float64Array.from(m.themes, (th, t) =>
		th.source === 'learned' ? sigmoidPlatt(dec[t], th.platt!) : th.source === 'keywords' ? kw[t] : 0
	);
}

describe('fast coding path', () => {
	const coder = trainCoder(codebook, coded);
	it('gives bit-identical scores to the reference computation', () => {
		for (const a of batch(200))
			expect(Array.from(coder.scores(a.text)), a.text).toEqual(Array.from(referenceScores(coder, a.text)));
	});
	it('gives the same results whatever the token cache holds', () => {
		const answers = batch(300);
		const first = codeAnswers(coder, answers);
		expect(codeAnswers(coder, [...answers].reverse()).reverse()).toEqual(first);
		expect(codeAnswers(trainCoder(codebook, coded), answers)).toEqual(first);
	});
});

describe('codeAnswersParallel', () => {
	const coder = trainCoder(codebook, coded);
	it('gives exactly the results of codeAnswers, in the same order', async () => {
		const answers = batch(2500);
		const sequential = codeAnswers(coder, answers);
		const parallel = await codeAnswersParallel(coder, answers, { workers: 3, chunkSize: 97, minAnswers: 0 });
		expect(parallel).toEqual(sequential);
		expect(JSON.stringify(parallel)).toBe(JSON.stringify(sequential));
	}, 60_000);
	it('codes small batches in this thread', async () => {
		const answers = batch(50);
		expect(await codeAnswersParallel(coder, answers)).toEqual(codeAnswers(coder, answers));
	});
	it('works for a codebook-only coder too', async () => {
		const kwOnly = trainCoder(codebook);
		const answers = batch(600);
		expect(await codeAnswersParallel(kwOnly, answers, { workers: 2, chunkSize: 100, minAnswers: 0 })).toEqual(
			codeAnswers(kwOnly, answers)
		);
	}, 60_000);
});
