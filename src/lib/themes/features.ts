/**
 * Features for the learner: TF-IDF over hashed word 1–2-grams (stems, spelling-corrected) and
 * character 3–5-grams inside word boundaries (spelling tolerant by construction). Features are
 * hashed to 32-bit ints (FNV-1a) and kept when they occur in ≥ minDf training answers, so the
 * model needs no string vocabulary and serialises compactly.
 */
import type { Analysed } from './keywords';
import type { WordVectors } from '../util/word-vectors';

export const WORD_SEED = 0x811c9dc5;
export const BIGRAM_SEED = 0x2c1b3c6d;
export const PERSPECTIVE_SEED = 0x3a8f05c5;

/**
 * The seed of an answer's perspective features (0 = no perspective). Each word stem is also
 * hashed together with the perspective, so the learner can tell "my family" from a child apart
 * from "families need support" from a practitioner. There is deliberately no feature for the
 * perspective on its own: the group an answer was given as is never evidence of a theme by itself.
 */
export function perspectiveSeed(perspective: string | null | undefined): number {
	return perspective ? fnv(perspective, PERSPECTIVE_SEED) ^ 0x5f : 0;
}
const CHAR_SEED = 0x5bd1e995;
/** Character n-grams of 3–5 letters (2-grams added nothing in cross-validation and cost time). */
const CHAR_MIN = 3;

export function fnv(s: string, seed: number): number {
	let h = seed;
	for (let i = 0; i < s.length; i++) {
		h ^= s.charCodeAt(i);
		h = Math.imul(h, 16777619);
	}
	return h | 0;
}

/** Raw hashed term counts of an answer: word part and char part separately. */
export interface RawFeatures {
	word: Map<number, number>;
	char: Map<number, number>;
}

let buf = new Int32Array(4096);

/**
 * Write the answer's feature hashes into a shared buffer: word 1–2-grams first (returned as
 * `words`), then character n-grams. Returns the total count.
 */
function hashFeatures(a: Analysed, charMin: number, charMax: number): { words: number; total: number } {
	const s = a.stems;
	const ps = perspectiveSeed(a.perspective);
	let need = s.length * 3;
	for (const t of a.tokens) need += (t.length + 2) * (charMax - charMin + 1);
	if (need > buf.length) buf = new Int32Array(Math.max(need, buf.length * 2));
	let n = 0;
	for (let i = 0; i < s.length; i++) {
		const h = fnv(s[i], WORD_SEED);
		buf[n++] = h;
		if (i + 1 < s.length) buf[n++] = fnv(s[i + 1], fnv(s[i], BIGRAM_SEED) ^ 0x20);
	}
	if (ps) for (let i = 0; i < s.length; i++) buf[n++] = fnv(s[i], ps);
	const words = n;
	for (const t of a.tokens) {
		const p = ' ' + t + ' ';
		const len = p.length;
		for (let i = 0; i < len - 1; i++) {
			let h = CHAR_SEED;
			const stop = Math.min(len, i + charMax);
			for (let j = i; j < stop; j++) {
				h ^= p.charCodeAt(j);
				h = Math.imul(h, 16777619);
				if (j - i + 1 >= charMin) buf[n++] = h | 0;
			}
		}
	}
	return { words, total: n };
}

export function rawFeatures(a: Analysed, charMin = CHAR_MIN, charMax = 5): RawFeatures {
	const word = new Map<number, number>();
	const char = new Map<number, number>();
	const { words, total } = hashFeatures(a, charMin, charMax);
	for (let k = 0; k < total; k++) {
		const m = k < words ? word : char;
		const h = buf[k];
		m.set(h, (m.get(h) ?? 0) + 1);
	}
	return { word, char };
}

/** Open-addressing hash table from 32-bit feature hash to column. */
class HashIndex {
	private keys: Int32Array;
	private cols: Int32Array;
	private mask: number;
	constructor(hashes: Int32Array) {
		let size = 16;
		while (size < hashes.length * 2) size <<= 1;
		this.keys = new Int32Array(size);
		this.cols = new Int32Array(size).fill(-1);
		this.mask = size - 1;
		for (let i = 0; i < hashes.length; i++) {
			let slot = Math.imul(hashes[i], -1640531535) & this.mask;
			while (this.cols[slot] !== -1) slot = (slot + 1) & this.mask;
			this.keys[slot] = hashes[i];
			this.cols[slot] = i;
		}
	}
	get(h: number): number {
		let slot = Math.imul(h, -1640531535) & this.mask;
		for (;;) {
			const c = this.cols[slot];
			if (c === -1 || this.keys[slot] === h) return c;
			slot = (slot + 1) & this.mask;
		}
	}
}

/** A sparse row: feature indices and values. */
export interface SparseRow {
	idx: Int32Array;
	val: Float32Array;
}

export class Vectorizer {
	private index: HashIndex;
	readonly hashes: Int32Array;
	readonly idf: Float32Array;
	/** columns ≥ charStart are character n-grams */
	readonly charStart: number;
	private counts: Float64Array;
	private touched: Int32Array;
	private vals: Float64Array;
	private extra = 0;
	/** the last row built by `weigh` */
	rowIdx: Int32Array;
	rowVal: Float32Array;

	constructor(hashes: Int32Array, idf: Float32Array, charStart: number) {
		this.hashes = hashes;
		this.idf = idf;
		this.charStart = charStart;
		this.index = new HashIndex(hashes);
		this.counts = new Float64Array(hashes.length);
		this.touched = new Int32Array(1024);
		this.vals = new Float64Array(1024);
		this.rowIdx = new Int32Array(1024);
		this.rowVal = new Float32Array(1024);
	}

	get dims(): number {
		return this.hashes.length;
	}

	/** Fit the vocabulary and IDF on training answers (features seen in ≥ minDf answers). */
	static fit(docs: RawFeatures[], minDf = 2): Vectorizer {
		const dfWord = new Map<number, number>();
		const dfChar = new Map<number, number>();
		for (const d of docs) {
			for (const h of d.word.keys()) dfWord.set(h, (dfWord.get(h) ?? 0) + 1);
			for (const h of d.char.keys()) dfChar.set(h, (dfChar.get(h) ?? 0) + 1);
		}
		const keep = (m: Map<number, number>) =>
			[...m.entries()].filter(([, df]) => df >= minDf).sort((a, b) => a[0] - b[0]);
		const w = keep(dfWord);
		const c = keep(dfChar);
		const n = docs.length;
		const hashes = new Int32Array(w.length + c.length);
		const idf = new Float32Array(w.length + c.length);
		[...w, ...c].forEach(([h, df], i) => {
			hashes[i] = h;
			idf[i] = Math.log((1 + n) / (1 + df)) + 1;
		});
		return new Vectorizer(hashes, idf, w.length);
	}

	/** Column of a feature hash, −1 when it is not in the vocabulary. */
	column(h: number): number {
		return this.index.get(h);
	}

	/**
	 * Columns of one token's character n-grams, in the order `vectorize` meets them (n-grams not in
	 * the vocabulary left out). Cached per token by the coder, so coding skips the hashing.
	 */
	charColumns(token: string): Int32Array {
		const p = ' ' + token + ' ';
		const len = p.length;
		const out: number[] = [];
		for (let i = 0; i < len - 1; i++) {
			let h = CHAR_SEED;
			const stop = Math.min(len, i + 5);
			for (let j = i; j < stop; j++) {
				h ^= p.charCodeAt(j);
				h = Math.imul(h, 16777619);
				if (j - i + 1 >= CHAR_MIN) {
					const col = this.index.get(h | 0);
					if (col >= 0) out.push(col);
				}
			}
		}
		return Int32Array.from(out);
	}

	/**
	 * Sublinear TF-IDF row of an answer, word block and char block each L2-normalised
	 * (word and char hashes live in disjoint column ranges).
	 */
	vectorize(a: Analysed): SparseRow {
		const { total } = hashFeatures(a, CHAR_MIN, 5);
		let n = 0;
		for (let k = 0; k < total; k++) {
			const col = this.index.get(buf[k]);
			if (col >= 0) buf[n++] = col;
		}
		const nt = this.weigh(buf, n);
		return { idx: this.rowIdx.slice(0, nt), val: this.rowVal.slice(0, nt) };
	}

	/**
	 * The row for a sequence of feature columns (repeats counted), written to `rowIdx`/`rowVal`
	 * (valid until the next call); returns its length. Columns keep the order of their first
	 * occurrence, so the arithmetic, and therefore every decision value, is the same whichever
	 * way the columns were found.
	 */
	weigh(cols: Int32Array, n: number): number {
		const counts = this.counts;
		if (this.touched.length < n) {
			this.touched = new Int32Array(n * 2);
			this.vals = new Float64Array(n * 2);
		}
		const touched = this.touched;
		let nt = 0;
		for (let k = 0; k < n; k++) {
			const col = cols[k];
			if (counts[col] === 0) touched[nt++] = col;
			counts[col]++;
		}
		if (this.rowIdx.length < nt + this.extra) {
			this.rowIdx = new Int32Array((nt + this.extra) * 2);
			this.rowVal = new Float32Array((nt + this.extra) * 2);
		}
		const idx = this.rowIdx;
		const val = this.rowVal;
		const vals = this.vals;
		let normW = 0;
		let normC = 0;
		for (let k = 0; k < nt; k++) {
			const col = touched[k];
			const c = counts[col];
			const v = (c < TF.length ? TF[c] : 1 + Math.log(c)) * this.idf[col];
			counts[col] = 0;
			vals[k] = v;
			if (col < this.charStart) normW += v * v;
			else normC += v * v;
		}
		const iw = normW > 0 ? 1 / Math.sqrt(normW) : 0;
		const ic = normC > 0 ? 1 / Math.sqrt(normC) : 0;
		for (let k = 0; k < nt; k++) {
			const col = touched[k];
			idx[k] = col;
			val[k] = vals[k] * (col < this.charStart ? iw : ic);
		}
		return nt;
	}

	/** Room the coder may use after a row in `rowIdx`/`rowVal` (keyword and bias columns). */
	reserve(extra: number): void {
		this.extra = Math.max(this.extra, extra);
	}
}

/** 1 + ln(c) for small counts (the same doubles Math.log gives, computed once). */
const TF = Float64Array.from({ length: 64 }, (_, c) => 1 + Math.log(c));

/**
 * The dense word-vector block of an answer (option `vectors`): the mean of the GloVe unit vectors
 * of its content words (spelling-corrected tokens, stop words and the self-description already left
 * out by `analyse`), optionally weighted by each word's IDF in the training answers (`idf`; words
 * not in the vocabulary weigh as much as the rarest kept word), scaled to length `weight`. All zeros
 * when no word is in the table. The same function builds training rows and coding rows, so the
 * values are identical either way.
 */
export function answerVector(
	a: Analysed,
	table: WordVectors,
	weight: number,
	stopWords: ReadonlySet<string>,
	vec: Vectorizer | null,
	idf: boolean,
	out: Float32Array = new Float32Array(table.dims)
): Float32Array {
	out.fill(0);
	const rare = vec ? maxIdf(vec) : 1;
	for (let i = 0; i < a.corrected.length; i++) {
		const w = a.corrected[i];
		if (stopWords.has(w)) continue;
		const row = table.indexOf(w);
		if (row < 0) continue;
		let f = 1;
		if (idf && vec) {
			const col = vec.column(fnv(a.stems[i], WORD_SEED));
			f = col >= 0 ? vec.idf[col] : rare;
		}
		table.addTo(out, row, f);
	}
	let sum = 0;
	for (let d = 0; d < out.length; d++) sum += out[d] * out[d];
	if (sum > 0) {
		const s = weight / Math.sqrt(sum);
		for (let d = 0; d < out.length; d++) out[d] *= s;
	}
	return out;
}

const maxIdfOf = new WeakMap<Vectorizer, number>();
function maxIdf(vec: Vectorizer): number {
	let m = maxIdfOf.get(vec);
	if (m === undefined) {
		m = 1;
		for (let c = 0; c < vec.charStart; c++) if (vec.idf[c] > m) m = vec.idf[c];
		maxIdfOf.set(vec, m);
	}
	return m;
}
