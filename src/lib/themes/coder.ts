/**
 * The coder: keyword evidence from the codebook plus, when coded answers are given, a one-vs-rest
 * linear SVM per theme on TF-IDF features, with Platt-calibrated confidences and per-theme
 * thresholds chosen by k-fold cross-validation on the training answers only.
 */
import type { Codebook } from './codebook';
import { parseCodebook } from './codebook';
import { evaluate } from './evaluate';
import { TwoGenerationCache } from './cache';
import {
	BIGRAM_SEED,
	Vectorizer,
	WORD_SEED,
	answerVector,
	fnv,
	perspectiveSeed,
	rawFeatures,
	type SparseRow
} from './features';
import { wordVectors, type WordVectors } from '../util/word-vectors';
import { KeywordMatcher, analyse, codebookWords, type Analysed } from './keywords';
import { dot, plattFit, rng, shuffle, sigmoidPlatt, toCsr, trainSvm } from './linear';
import { STOP_WORDS, Speller, normalise, pushTokens, stem, tokenize } from './text';
import { codeNextOrder, type QueueOptions } from './active';
import { contentTokens, contentWords } from './self-description';

export interface Answer {
	id: string;
	text: string;
	/** the respondent group the answer was given as, when known (paired with its words by the learner) */
	perspective?: string | null;
}
export interface CodedAnswer extends Answer {
	/** theme ids; empty means "other" (no theme) */
	themes: string[];
}
export interface ThemeScore {
	id: string;
	/** 0..1 */
	confidence: number;
}
export interface CodingResult {
	id: string;
	/** themes assigned, most confident first; empty = "other" */
	themes: ThemeScore[];
}

export interface TrainOptions {
	/** SVM regularisation (default 0.25; chosen by cross-validation on the NHS training answers) */
	C?: number;
	/** multiplier of C for answers coded with the theme (default 1) */
	positiveWeight?: number;
	/** cross-validation folds used to calibrate confidences and thresholds (default 5) */
	folds?: number;
	/** minimum number of training answers a feature must occur in (default 2) */
	minDf?: number;
	/** a theme needs this many coded answers to be learned; rarer themes use keywords (default 3) */
	minPositives?: number;
	/** seed for fold assignment and SVM example order (default 42) */
	seed?: number;
	/** threshold shrinkage towards the global threshold, in pseudo-answers (default 10) */
	shrinkage?: number;
	/**
	 * NB-SVM (Wang & Manning 2012): scale the TF-IDF features per theme by their naive-Bayes
	 * log-count ratio, with this smoothing (default 1; 0 = a plain SVM). Chosen on hold-outs of the
	 * NHS training file: 1 → +1.5 points micro-F1 over the plain SVM; 0.1 and 3 were worse.
	 */
	nb?: number;
	/**
	 * Ensemble weight of a plain SVM beside the NB-SVM (0 = NB-SVM only, 1 = plain SVM only). Both
	 * are linear in the same features, so the blend is one weight vector and coding costs the
	 * same; training costs twice as much. The plain SVM is better on rare themes (macro-F1), the
	 * NB-SVM on common ones (micro-F1). Default 0.5, chosen by 5-fold CV on the NHS training file
	 * only: blend 0 / 0.3 / 0.5 / 0.7 gave micro 0.727 / 0.727 / 0.728 / 0.726, macro 0.526 /
	 * 0.539 / 0.551 / 0.543. Checked again on two other hold-outs of the training file (fifth round):
	 * macro +1.4 points on both, micro level, so kept despite the training time (docs/theme-engine.md).
	 */
	blend?: number;
	/** class weighting for rare themes: positives' C × (negatives/positives)^rareWeight, ≤ 10× (default 0 = off) */
	rareWeight?: number;
	/**
	 * Word vectors (GloVe 100-d, `src/lib/util/word-vectors.ts`): length of the dense block added to each
	 * answer's features, the mean vector of its content words (0 = off; the TF-IDF word and character
	 * blocks have length 1 each). See docs/theme-engine.md, seventh round.
	 */
	vectors?: number;
	/** weight the words of the mean vector by their IDF in the training answers (default false) */
	vectorIdf?: boolean;
	/**
	 * Per theme, the cosine of the answer's mean vector with the mean vector of the theme's label,
	 * description and keywords, times this, as one more feature per theme (0 = off; needs `vectors` > 0).
	 */
	labelVectors?: number;
}

/** JSON-serialisable trained model. */
export interface CoderModel {
	format: 'consult-theme-coder';
	version: 1;
	codebook: Codebook;
	mode: 'keywords' | 'trained';
	options: Required<TrainOptions>;
	trainedOn: number;
	spellerVocabulary: [string, number][];
	vectorizer: { hashes: string; idf: string; charStart: number } | null;
	/** feature-major weights (dims × themes) as base64 Float32, including keyword and bias columns */
	weights: string | null;
	themes: {
		id: string;
		source: 'learned' | 'keywords' | 'none';
		platt: [number, number] | null;
		threshold: number;
		positives: number;
	}[];
	/** assign the top theme to otherwise theme-less answers when its confidence ≥ this (null = never) */
	topFloor: number | null;
	/** cross-validated scores on the training answers (null without training data) */
	cv: { microF1: number; macroF1: number } | null;
}

const DEFAULTS: Required<TrainOptions> = {
	C: 0.25,
	positiveWeight: 1,
	folds: 5,
	minDf: 2,
	minPositives: 3,
	seed: 42,
	shrinkage: 10,
	nb: 1,
	blend: 0.5,
	rareWeight: 0,
	vectors: 0,
	vectorIdf: false,
	labelVectors: 0
};
const KEYWORD_THRESHOLD = 0.5;

/**
 * What coding needs to know about one raw token (a gap-free piece of normalised text), computed
 * once per distinct token: its 0–2 tokens, their spelling corrections and stems, and the feature
 * columns of their word unigrams and character n-grams.
 */
interface TokenInfo {
	tokens: string[];
	corrected: string[];
	stems: string[];
	/** word-unigram column per token (−1 = not in the vocabulary) */
	uni: Int32Array;
	/** per token, the FNV state a word bigram starting with its stem continues from */
	bigramSeed: Int32Array;
	/** character n-gram columns of all its tokens, in order */
	chars: Int32Array;
}

/** Distinct raw tokens remembered per coder (two generations: at most twice this many). */
const TOKEN_CACHE_SIZE = 50_000;
/** Distinct answer texts whose verdicts are remembered per coder (two generations: at most twice this many). */
const VERDICT_CACHE_SIZE = 50_000;

/** A ready-to-use coder (build with trainCoder or loadCoder). */
export class Coder {
	readonly model: CoderModel;
	readonly codebook: Codebook;
	private speller: Speller;
	private matcher: KeywordMatcher;
	private vectorizer: Vectorizer | null;
	private W: Float32Array | null;
	private T: number;
	/** learned themes (the only ones whose decision values are used) */
	private learned: Int32Array;
	/** W restricted to the learned themes' columns, feature-major (dims × learned) */
	private WL: Float32Array | null;
	private tokenInfo = new TwoGenerationCache<string, TokenInfo>(TOKEN_CACHE_SIZE);
	/** `code`'s verdicts by perspective and normalised text (bounded: two generations). */
	private verdicts = new TwoGenerationCache<string, ThemeScore[]>(VERDICT_CACHE_SIZE);
	private cols = new Int32Array(1024);
	private dec: Float64Array;
	/** word-vector columns after the bias (option `vectors`), null when off */
	private dense: DenseBlock | null;

	constructor(model: CoderModel) {
		this.model = model;
		this.codebook = model.codebook;
		this.T = model.codebook.themes.length;
		this.speller = new Speller(model.spellerVocabulary);
		this.matcher = new KeywordMatcher(model.codebook);
		this.vectorizer = model.vectorizer
			? new Vectorizer(
					new Int32Array(fromB64(model.vectorizer.hashes)),
					new Float32Array(fromB64(model.vectorizer.idf)),
					model.vectorizer.charStart
				)
			: null;
		this.W = model.weights ? new Float32Array(fromB64(model.weights)) : null;
		this.learned = Int32Array.from(model.themes.flatMap((th, t) => (th.source === 'learned' ? [t] : [])));
		this.dec = new Float64Array(this.learned.length);
		this.dense = this.vectorizer ? DenseBlock.of(model.options, model.codebook) : null;
		this.WL = null;
		if (this.W && this.vectorizer) {
			const T = this.T;
			const L = this.learned.length;
			const dims = this.W.length / T;
			const WL = new Float32Array(dims * L);
			for (let d = 0; d < dims; d++) for (let j = 0; j < L; j++) WL[d * L + j] = this.W[d * T + this.learned[j]];
			this.WL = WL;
			this.vectorizer.reserve(T + 1 + (this.dense?.width ?? 0));
		}
	}

	/** Calibrated confidence per theme (codebook order) for one text. */
	scores(text: string, perspective?: string | null): Float64Array {
		return this.scoresOf(normalise(text), perspective);
	}

	/** `scores` of a text already `normalise`d (all it reads of the text). */
	private scoresOf(words: string, perspective?: string | null): Float64Array {
		const a = this.analyse(words, perspective);
		const kw = this.matcher.score(a);
		const out = new Float64Array(this.T);
		const learned = this.learned;
		if (this.vectorizer && this.WL && learned.length) {
			const dec = this.decisions(a, kw);
			for (let j = 0; j < learned.length; j++)
				out[learned[j]] = sigmoidPlatt(dec[j], this.model.themes[learned[j]].platt!);
		}
		for (let t = 0; t < this.T; t++) if (this.model.themes[t].source === 'keywords') out[t] = kw[t];
		return out;
	}

	/** Code one answer: themes above their thresholds (at least the top one when it is reasonable). */
	code(text: string, perspective?: string | null): ThemeScore[] {
		// Once per distinct normalised text and perspective: the verdict is a pure function of the two (the
		// perspective only through perspectiveSeed, the same for null, undefined and ''), and many answers repeat
		// ("no", "more activities"; about three in four of the generated answers). Copied out, so a caller
		// changing what it got cannot change the next answer's verdict.
		const words = normalise(text);
		const key = `${perspective ?? ''}\u0000${words}`;
		let verdict = this.verdicts.get(key);
		if (verdict === undefined) {
			verdict = decide(this.scoresOf(words, perspective), this.model);
			this.verdicts.set(key, verdict);
		}
		return verdict.map((s) => ({ id: s.id, confidence: s.confidence }));
	}

	/**
	 * Hashed content-word stems of an answer (spelling-corrected, stop words and the
	 * self-description left out), for the "code next" queue's near-duplicate check.
	 */
	wordKeys(text: string): Int32Array {
		const a = this.analyse(normalise(text));
		const out: number[] = [];
		for (let i = 0; i < a.stems.length; i++) if (!STOP_WORDS.has(a.corrected[i])) out.push(fnv(a.stems[i], WORD_SEED));
		return Int32Array.from(out);
	}

	/**
	 * "Code next": the ids of these (uncoded) answers in the order in which coding them would
	 * teach this coder most (uncertainty plus diversity, `active.ts`). Uses the model as it is;
	 * trains nothing.
	 */
	codeNext(answers: readonly Answer[], options: QueueOptions & { codedTexts?: readonly string[] } = {}): string[] {
		const keywordsOnly = !this.learned.length;
		const { codedTexts, ...rest } = options;
		return codeNextOrder(
			answers.map((a) => ({ id: a.id, probs: this.scores(a.text, a.perspective), keys: this.wordKeys(a.text) })),
			{
				keywordsOnly,
				thresholds: this.model.themes.map((t) => t.threshold),
				...(codedTexts ? { coded: codedTexts.map((t) => this.wordKeys(t)) } : {}),
				...rest
			}
		);
	}

	/**
	 * `analyse(text, speller)` of keywords.ts on the `normalise`d text, with the per-token work (contractions, spelling,
	 * stems, feature columns) looked up in a bounded cache; also leaves the answer's feature columns,
	 * in `vectorize` order, in `this.cols` (length returned through `this.ncols`).
	 */
	private analyse(words: string, perspective?: string | null): Analysed {
		const tokens: string[] = [];
		const corrected: string[] = [];
		const stems: string[] = [];
		const infos: TokenInfo[] = [];
		// Without the self-description ("As a parent, …"), exactly as `analyse` does.
		for (const raw of contentWords(words)) {
			let info = this.tokenInfo.get(raw);
			if (info === undefined) {
				info = this.tokenInfoOf(raw);
				this.tokenInfo.set(raw, info);
			}
			if (!info.tokens.length) continue;
			infos.push(info);
			for (let i = 0; i < info.tokens.length; i++) {
				tokens.push(info.tokens[i]);
				corrected.push(info.corrected[i]);
				stems.push(info.stems[i]);
			}
		}
		this.ncols = 0;
		if (this.vectorizer) this.collect(infos, stems, perspectiveSeed(perspective));
		return { tokens, corrected, stems, perspective };
	}

	private ncols = 0;

	private tokenInfoOf(raw: string): TokenInfo {
		const tokens: string[] = [];
		pushTokens(raw, tokens);
		const corrected = tokens.map((t) => this.speller.correct(t));
		const stems = corrected.map(stem);
		const vec = this.vectorizer;
		const uni = new Int32Array(tokens.length);
		const bigramSeed = new Int32Array(tokens.length);
		let chars = new Int32Array(0);
		if (vec) {
			const parts = tokens.map((t) => vec.charColumns(t));
			chars = new Int32Array(parts.reduce((n, p) => n + p.length, 0));
			let o = 0;
			for (const p of parts) {
				chars.set(p, o);
				o += p.length;
			}
			stems.forEach((st, i) => {
				uni[i] = vec.column(fnv(st, WORD_SEED));
				bigramSeed[i] = fnv(st, BIGRAM_SEED) ^ 0x20;
			});
		}
		return { tokens, corrected, stems, uni, bigramSeed, chars };
	}

	/** The answer's feature columns in the order `Vectorizer.vectorize` meets them. */
	private collect(infos: TokenInfo[], stems: string[], ps: number): void {
		const vec = this.vectorizer!;
		let need = stems.length * 3;
		for (const info of infos) need += info.chars.length;
		if (this.cols.length < need) this.cols = new Int32Array(need * 2);
		const cols = this.cols;
		let n = 0;
		let i = 0;
		for (const info of infos)
			for (let j = 0; j < info.stems.length; j++, i++) {
				if (info.uni[j] >= 0) cols[n++] = info.uni[j];
				if (i + 1 < stems.length) {
					const col = vec.column(fnv(stems[i + 1], info.bigramSeed[j]));
					if (col >= 0) cols[n++] = col;
				}
			}
		if (ps)
			for (const st of stems) {
				const col = vec.column(fnv(st, ps));
				if (col >= 0) cols[n++] = col;
			}
		for (const info of infos) {
			cols.set(info.chars, n);
			n += info.chars.length;
		}
		this.ncols = n;
	}

	/**
	 * Decision values of the learned themes: the row of `buildRow` (TF-IDF, keyword evidence, bias)
	 * times the weights, each theme's terms summed in row order (identical values).
	 */
	private decisions(a: Analysed, kw: Float64Array): Float64Array {
		const vec = this.vectorizer!;
		let k = vec.weigh(this.cols, this.ncols);
		const idx = vec.rowIdx;
		const val = vec.rowVal;
		const D = vec.dims;
		const T = this.T;
		for (let t = 0; t < T; t++)
			if (kw[t] > 0) {
				idx[k] = D + t;
				val[k++] = kw[t];
			}
		idx[k] = D + T; // bias
		val[k++] = 1;
		if (this.dense) k = this.dense.append(a, vec, D + T + 1, idx, val, k);
		const dec = this.dec;
		accumulateLearned(this.WL!, dec.length, idx, val, k, dec);
		return dec;
	}
}

/**
 * dec[t] = Σ_k W[idx[k]·L + t]·val[k] over the first `n` entries of a row, for the L learned themes
 * (feature-major weights). Eight themes at a time are summed in registers while sweeping the row;
 * each dec[t] still adds its terms in row order, starting from 0, exactly as the plain
 * `dec[t] += W·v` loop over all themes did, so the values are bit-for-bit the same.
 */
function accumulateLearned(
	W: Float32Array,
	L: number,
	idx: Int32Array,
	val: Float32Array,
	n: number,
	dec: Float64Array
): void {
	if (rowBase.length < n) {
		rowBase = new Int32Array(n * 2);
		rowVal = new Float64Array(n * 2);
	}
	const base = rowBase;
	const v = rowVal;
	for (let k = 0; k < n; k++) {
		base[k] = idx[k] * L;
		v[k] = val[k];
	}
	let t = 0;
	for (; t + 8 <= L; t += 8) {
		let s0 = 0,
			s1 = 0,
			s2 = 0,
			s3 = 0,
			s4 = 0,
			s5 = 0,
			s6 = 0,
			s7 = 0;
		for (let k = 0; k < n; k++) {
			const b = base[k] + t;
			const x = v[k];
			s0 += W[b] * x;
			s1 += W[b + 1] * x;
			s2 += W[b + 2] * x;
			s3 += W[b + 3] * x;
			s4 += W[b + 4] * x;
			s5 += W[b + 5] * x;
			s6 += W[b + 6] * x;
			s7 += W[b + 7] * x;
		}
		dec[t] = s0;
		dec[t + 1] = s1;
		dec[t + 2] = s2;
		dec[t + 3] = s3;
		dec[t + 4] = s4;
		dec[t + 5] = s5;
		dec[t + 6] = s6;
		dec[t + 7] = s7;
	}
	for (; t < L; t++) {
		let s0 = 0;
		for (let k = 0; k < n; k++) s0 += W[base[k] + t] * v[k];
		dec[t] = s0;
	}
}
let rowBase = new Int32Array(1024);
let rowVal = new Float64Array(1024);

function decide(p: ArrayLike<number>, model: CoderModel): ThemeScore[] {
	const out: ThemeScore[] = [];
	let best = -1;
	for (let t = 0; t < p.length; t++) {
		const th = model.themes[t];
		if (th.source === 'none') continue;
		if (p[t] >= th.threshold && p[t] > 0) out.push({ id: th.id, confidence: round(p[t]) });
		if (best < 0 || p[t] > p[best]) best = t;
	}
	if (!out.length && best >= 0 && model.topFloor !== null && p[best] >= model.topFloor && p[best] > 0)
		out.push({ id: model.themes[best].id, confidence: round(p[best]) });
	out.sort((a, b) => b.confidence - a.confidence || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	return out;
}

function round(x: number): number {
	return Math.round(x * 1e4) / 1e4;
}

function buildRow(vec: Vectorizer, a: Analysed, kw: Float64Array, dense: DenseBlock | null = null): SparseRow {
	const base = vec.vectorize(a);
	const D = vec.dims;
	const T = kw.length;
	let extra = 1 + (dense?.width ?? 0);
	for (let t = 0; t < T; t++) if (kw[t] > 0) extra++;
	const idx = new Int32Array(base.idx.length + extra);
	const val = new Float32Array(base.idx.length + extra);
	idx.set(base.idx);
	val.set(base.val);
	let k = base.idx.length;
	for (let t = 0; t < T; t++)
		if (kw[t] > 0) {
			idx[k] = D + t;
			val[k++] = kw[t];
		}
	idx[k] = D + T; // bias
	val[k++] = 1;
	if (dense) k = dense.append(a, vec, D + T + 1, idx, val, k);
	return { idx: idx.slice(0, k), val: val.slice(0, k) };
}

/**
 * The word-vector columns (options `vectors`, `vectorIdf`, `labelVectors`), after the bias column: the
 * answer's mean word vector (`answerVector`, length `vectors`), then per theme `labelVectors` × the
 * cosine of that mean with the mean vector of the theme's label, description and keywords. Only
 * non-zero values are written, in column order, by training and coding alike.
 */
class DenseBlock {
	readonly width: number;
	private buf: Float32Array;
	private constructor(
		private table: WordVectors,
		private weight: number,
		private idf: boolean,
		private labelWeight: number,
		private themeVecs: Float32Array[]
	) {
		this.width = table.dims + themeVecs.length;
		this.buf = new Float32Array(table.dims);
	}

	static of(opts: TrainOptions, codebook: Codebook): DenseBlock | null {
		if (!(Number(opts.vectors) > 0)) return null;
		const table = wordVectors();
		const labelWeight = Number(opts.labelVectors) > 0 ? Number(opts.labelVectors) : 0;
		const themeVecs = labelWeight
			? codebook.themes.map((t) => {
					const words = [t.label, t.description ?? '', ...(t.keywords ?? [])]
						.flatMap((x) => tokenize(x))
						.filter((w) => !STOP_WORDS.has(w));
					return answerVector({ tokens: words, corrected: words, stems: [] }, table, 1, STOP_WORDS, null, false);
				})
			: [];
		return new DenseBlock(table, Number(opts.vectors), !!opts.vectorIdf, labelWeight, themeVecs);
	}

	append(a: Analysed, vec: Vectorizer, start: number, idx: Int32Array, val: Float32Array, k: number): number {
		const v = answerVector(a, this.table, this.weight, STOP_WORDS, vec, this.idf, this.buf);
		const dims = v.length;
		for (let d = 0; d < dims; d++)
			if (v[d] !== 0) {
				idx[k] = start + d;
				val[k++] = v[d];
			}
		if (this.labelWeight) {
			const s = this.labelWeight / this.weight;
			for (let t = 0; t < this.themeVecs.length; t++) {
				const tv = this.themeVecs[t];
				let c = 0;
				for (let d = 0; d < dims; d++) c += v[d] * tv[d];
				if (c !== 0) {
					idx[k] = start + dims + t;
					val[k++] = c * s;
				}
			}
		}
		return k;
	}
}

/**
 * Build a coder. Without coded answers it codes from the codebook alone (keywords, labels and
 * descriptions, spelling tolerant). With coded answers it learns one linear SVM per theme:
 * `prepareTraining` (vocabulary, features), `crossValidate` (out-of-fold decision values),
 * `calibrate` (Platt, per-theme thresholds, the top-theme floor, CV scores) and `fitFinal`
 * (the models on all coded answers).
 */
export function trainCoder(
	codebookInput: Codebook | unknown,
	coded: CodedAnswer[] = [],
	options: TrainOptions = {},
	details?: TrainingDetails
): Coder {
	const codebook = parseCodebook(codebookInput);
	const opts = { ...DEFAULTS, ...options };
	const themeIndex = new Map(codebook.themes.map((t, i) => [t.id, i]));
	for (const c of coded)
		for (const id of c.themes) if (!themeIndex.has(id)) throw new Error(`answer ${c.id}: unknown theme id "${id}"`);

	const base = keywordModel(codebook, coded, opts);
	const learnable = base.themes.map(
		(th) => th.positives >= opts.minPositives && coded.length - th.positives >= opts.minPositives
	);
	if (!learnable.some(Boolean)) return new Coder(base);

	const data = prepareTraining(codebook, coded, base.spellerVocabulary, opts.minDf, DenseBlock.of(opts, codebook));
	const oof = crossValidate(data, learnable, opts);
	const model = calibrate(base, data, learnable, oof, opts, details);
	model.vectorizer = {
		hashes: toB64(data.vec.hashes),
		idf: toB64(data.vec.idf),
		charStart: data.vec.charStart
	};
	model.weights = toB64(fitFinal(data, learnable, opts));
	return new Coder(model);
}

/** The codebook-only model: spelling vocabulary, which themes keywords can code, positives per theme. */
function keywordModel(codebook: Codebook, coded: CodedAnswer[], opts: Required<TrainOptions>): CoderModel {
	// Spelling vocabulary: codebook words plus words used in ≥ 2 coded answers.
	const df = new Map<string, number>();
	for (const c of coded) for (const w of new Set(contentTokens(c.text))) df.set(w, (df.get(w) ?? 0) + 1);
	const vocab = new Map<string, number>();
	for (const w of codebookWords(codebook)) vocab.set(w, 1);
	for (const [w, f] of df) if (f >= 2) vocab.set(w, (vocab.get(w) ?? 0) + f);
	const spellerVocabulary = [...vocab.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));

	const positives = codebook.themes.map((t) => coded.filter((c) => c.themes.includes(t.id)).length);
	const keywordTheme = (i: number) => {
		const t = codebook.themes[i];
		return (t.keywords?.length ?? 0) > 0 || !!t.description || tokenize(t.label).length <= 3;
	};
	return {
		format: 'consult-theme-coder',
		version: 1,
		codebook,
		mode: 'keywords',
		options: opts,
		trainedOn: coded.length,
		spellerVocabulary,
		vectorizer: null,
		weights: null,
		themes: codebook.themes.map((t, i) => ({
			id: t.id,
			source: keywordTheme(i) ? 'keywords' : 'none',
			platt: null,
			threshold: KEYWORD_THRESHOLD,
			positives: positives[i]
		})),
		topFloor: null,
		cv: null
	};
}

/** Filled in by `trainCoder` when given: the out-of-fold confidences it calibrated on (for experiments). */
export interface TrainingDetails {
	/** per coded answer, the out-of-fold confidence of every theme (codebook order) */
	oofProbs?: Float64Array[];
}

/** Everything learning needs, computed once: analysed answers, feature rows, labels. */
interface TrainingData {
	codebook: Codebook;
	coded: CodedAnswer[];
	analysed: Analysed[];
	kwScores: Float64Array[];
	vec: Vectorizer;
	rows: SparseRow[];
	X: ReturnType<typeof toCsr>;
	dims: number;
	/** per theme, ±1 per coded answer */
	Y: Int8Array[];
}

function prepareTraining(
	codebook: Codebook,
	coded: CodedAnswer[],
	spellerVocabulary: [string, number][],
	minDf: number,
	dense: DenseBlock | null = null
): TrainingData {
	const speller = new Speller(spellerVocabulary);
	const matcher = new KeywordMatcher(codebook);
	const analysed: Analysed[] = coded.map((c) => ({ ...analyse(c.text, speller), perspective: c.perspective }));
	const vec = Vectorizer.fit(
		analysed.map((a) => rawFeatures(a)),
		minDf
	);
	const kwScores = analysed.map((a) => matcher.score(a));
	const rows = analysed.map((a, i) => buildRow(vec, a, kwScores[i], dense));
	const Y = codebook.themes.map((t) => Int8Array.from(coded, (c) => (c.themes.includes(t.id) ? 1 : -1)));
	return {
		codebook,
		coded,
		analysed,
		kwScores,
		vec,
		rows,
		X: toCsr(rows),
		dims: vec.dims + codebook.themes.length + 1 + (dense?.width ?? 0),
		Y
	};
}

/** k-fold cross-validation: out-of-fold decision values per learnable theme (0 elsewhere). */
function crossValidate(d: TrainingData, learnable: boolean[], opts: Required<TrainOptions>): Float64Array[] {
	const n = d.coded.length;
	const T = d.codebook.themes.length;
	const folds = Math.max(2, Math.min(opts.folds, n));
	const perm = shuffle(
		Array.from({ length: n }, (_, i) => i),
		rng(opts.seed)
	);
	const foldOf = new Int32Array(n);
	perm.forEach((i, r) => (foldOf[i] = r % folds));
	const oof: Float64Array[] = d.codebook.themes.map(() => new Float64Array(n));
	for (let f = 0; f < folds; f++) {
		const trIdx: number[] = [];
		const teIdx: number[] = [];
		for (let i = 0; i < n; i++) (foldOf[i] === f ? teIdx : trIdx).push(i);
		const subset = Int32Array.from(trIdx);
		for (let t = 0; t < T; t++) {
			if (!learnable[t]) continue;
			const y = Int8Array.from(trIdx, (i) => d.Y[t][i]);
			if (!y.some((v) => v > 0)) {
				for (const i of teIdx) oof[t][i] = -1;
				continue;
			}
			const w = trainTheme(
				d,
				y,
				{ C: opts.C, positiveWeight: positiveWeightOf(d, t, opts), seed: opts.seed + t },
				subset,
				opts.nb,
				opts.blend
			);
			for (const i of teIdx) oof[t][i] = dot(w, d.rows[i]);
		}
	}
	return oof;
}

/**
 * From out-of-fold decision values: Platt scaling per theme, per-theme thresholds maximising F1
 * (shrunk towards the global best threshold), the "top theme" floor maximising out-of-fold
 * micro-F1, and the cross-validated scores. Returns the trained model without weights.
 */
function calibrate(
	base: CoderModel,
	d: TrainingData,
	learnable: boolean[],
	oof: Float64Array[],
	opts: Required<TrainOptions>,
	details?: TrainingDetails
): CoderModel {
	const n = d.coded.length;
	const T = d.codebook.themes.length;
	const Y = d.Y;
	const probs: Float64Array[] = d.codebook.themes.map(() => new Float64Array(n));
	const platts: ([number, number] | null)[] = [];
	for (let t = 0; t < T; t++) {
		if (!learnable[t]) {
			platts.push(null);
			continue;
		}
		const ab = plattFit(oof[t], Y[t]);
		platts.push(ab);
		for (let i = 0; i < n; i++) probs[t][i] = sigmoidPlatt(oof[t][i], ab);
	}
	const learnedIdx = [...Array(T).keys()].filter((t) => learnable[t]);
	const globalT = bestThreshold(
		learnedIdx.flatMap((t) => Array.from(probs[t])),
		learnedIdx.flatMap((t) => Array.from(Y[t]))
	).threshold;
	const thresholds = d.codebook.themes.map((_, t) => {
		if (!learnable[t]) return KEYWORD_THRESHOLD;
		const b = bestThreshold(Array.from(probs[t]), Array.from(Y[t]));
		const m = opts.shrinkage;
		const pos = base.themes[t].positives;
		return (pos * b.threshold + m * globalT) / (pos + m);
	});

	// Keyword-only themes take part in the out-of-fold decision with their keyword scores.
	const model: CoderModel = {
		...base,
		mode: 'trained',
		themes: base.themes.map((th, t) => ({
			...th,
			source: learnable[t] ? 'learned' : th.source,
			platt: platts[t],
			threshold: thresholds[t]
		}))
	};
	const oofP = (i: number) =>
		Float64Array.from(model.themes, (th, t) =>
			th.source === 'learned' ? probs[t][i] : th.source === 'keywords' ? d.kwScores[i][t] : 0
		);
	const oofProbs = Array.from({ length: n }, (_, i) => oofP(i));
	if (details) details.oofProbs = oofProbs;
	const gold = d.coded.map((c) => c.themes);
	let bestFloor: number | null = null;
	let bestF = microF1(
		oofProbs.map((p) => decide(p, { ...model, topFloor: null }).map((s) => s.id)),
		gold
	);
	for (const floor of [0.5, 0.4, 0.3, 0.25, 0.2, 0.15, 0.1, 0.05, 0.02]) {
		const f1 = microF1(
			oofProbs.map((p) => decide(p, { ...model, topFloor: floor }).map((s) => s.id)),
			gold
		);
		if (f1 > bestF + 1e-9) {
			bestF = f1;
			bestFloor = floor;
		}
	}
	model.topFloor = bestFloor;
	const oofPred = oofProbs.map((p, i) => ({ id: String(i), themes: decide(p, model).map((s) => s.id) }));
	const cvEval = evaluate(
		oofPred,
		gold.map((g, i) => ({ id: String(i), themes: g })),
		{ themeIds: d.codebook.themes.map((t) => t.id) }
	);
	model.cv = { microF1: round(cvEval.micro.f1), macroF1: round(cvEval.macroF1) };
	return model;
}

/**
 * One theme's SVM on the rows in `subset` (all when omitted). With `nb` > 0 (NB-SVM, Wang &
 * Manning 2012) the TF-IDF columns are first scaled by their naive-Bayes log-count ratio for this
 * theme, learned on the same rows; the ratio is folded back into the weights, so coding is the
 * same dot product whichever way the model was trained.
 */
function trainTheme(
	d: TrainingData,
	y: Int8Array,
	svm: { C: number; positiveWeight: number; seed: number },
	subset: Int32Array | undefined,
	nb: number,
	blend = 0
): Float64Array {
	if (!(nb > 0) || blend >= 1) return trainSvm(d.X, y, d.dims, svm, subset);
	const D = d.vec.dims;
	const { ptr, idx, val } = d.X;
	const pos = new Float64Array(D).fill(nb);
	const neg = new Float64Array(D).fill(nb);
	const rows = subset ?? Int32Array.from({ length: ptr.length - 1 }, (_, i) => i);
	rows.forEach((r, k) => {
		const into = y[k] > 0 ? pos : neg;
		for (let j = ptr[r]; j < ptr[r + 1]; j++) if (idx[j] < D) into[idx[j]] += val[j];
	});
	let sp = 0;
	let sn = 0;
	for (let c = 0; c < D; c++) {
		sp += pos[c];
		sn += neg[c];
	}
	const ratio = new Float64Array(d.dims).fill(1);
	for (let c = 0; c < D; c++) ratio[c] = Math.log(pos[c] / sp / (neg[c] / sn));
	const scaled = new Float32Array(val.length);
	for (let j = 0; j < val.length; j++) scaled[j] = val[j] * ratio[idx[j]];
	const w = trainSvm({ ptr, idx, val: scaled }, y, d.dims, svm, subset);
	for (let c = 0; c < d.dims; c++) w[c] *= ratio[c];
	if (blend > 0) {
		const plain = trainSvm(d.X, y, d.dims, svm, subset);
		for (let c = 0; c < d.dims; c++) w[c] = (1 - blend) * w[c] + blend * plain[c];
	}
	return w;
}

/**
 * C multiplier of a theme's positive answers: `positiveWeight`, times (negatives / positives)^rareWeight
 * (at most 10×) so that rare themes' few answers weigh more (option `rareWeight`, default 0).
 */
function positiveWeightOf(d: TrainingData, t: number, opts: Required<TrainOptions>): number {
	if (!(opts.rareWeight > 0)) return opts.positiveWeight;
	let pos = 0;
	for (const v of d.Y[t]) if (v > 0) pos++;
	const neg = d.Y[t].length - pos;
	return opts.positiveWeight * Math.min(10, Math.max(1, (neg / Math.max(1, pos)) ** opts.rareWeight));
}

/** Final models on all coded answers, stored feature-major (dims × themes) for fast coding. */
function fitFinal(d: TrainingData, learnable: boolean[], opts: Required<TrainOptions>): Float32Array {
	const T = d.codebook.themes.length;
	const W = new Float32Array(d.dims * T);
	for (let t = 0; t < T; t++) {
		if (!learnable[t]) continue;
		const w = trainTheme(
			d,
			d.Y[t],
			{ C: opts.C, positiveWeight: positiveWeightOf(d, t, opts), seed: opts.seed + t },
			undefined,
			opts.nb,
			opts.blend
		);
		for (let i = 0; i < d.dims; i++) W[i * T + t] = w[i];
	}
	return W;
}

/** Threshold maximising F1 over the given scores (midpoint between neighbouring scores). */
export function bestThreshold(p: number[], y: ArrayLike<number>): { threshold: number; f1: number } {
	const order = p.map((_, i) => i).sort((a, b) => p[b] - p[a] || a - b);
	let totalPos = 0;
	for (let i = 0; i < y.length; i++) if (y[i] > 0) totalPos++;
	if (!totalPos) return { threshold: 0.5, f1: 0 };
	let tp = 0;
	let best = { threshold: 0.5, f1: 0 };
	for (let k = 0; k < order.length; k++) {
		if (y[order[k]] > 0) tp++;
		if (k + 1 < order.length && p[order[k + 1]] === p[order[k]]) continue;
		const f1 = (2 * tp) / (k + 1 + totalPos);
		if (f1 > best.f1) {
			const next = k + 1 < order.length ? p[order[k + 1]] : 0;
			best = { threshold: (p[order[k]] + next) / 2, f1 };
		}
	}
	return best;
}

function microF1(pred: string[][], gold: string[][]): number {
	let tp = 0,
		fp = 0,
		fn = 0;
	for (let i = 0; i < pred.length; i++) {
		const g = new Set(gold[i]);
		for (const p of pred[i])
			if (g.has(p)) tp++;
			else fp++;
		for (const x of g) if (!pred[i].includes(x)) fn++;
	}
	return tp ? (2 * tp) / (2 * tp + fp + fn) : 0;
}

/** Code many answers. */
export function codeAnswers(coder: Coder, answers: Answer[]): CodingResult[] {
	return answers.map((a) => ({ id: a.id, themes: coder.code(a.text, a.perspective) }));
}

/** Rebuild a coder from a model saved with `JSON.stringify(coder.model)`. */
export function loadCoder(model: CoderModel | string): Coder {
	const m = typeof model === 'string' ? (JSON.parse(model) as CoderModel) : model;
	if (m?.format !== 'consult-theme-coder' || m.version !== 1) throw new Error('not a theme coder model (version 1)');
	parseCodebook(m.codebook);
	return new Coder(m);
}

function toB64(a: Int32Array | Float32Array): string {
	const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
	if (typeof Buffer !== 'undefined') return Buffer.from(bytes).toString('base64');
	let s = '';
	for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
	return btoa(s);
}

function fromB64(s: string): ArrayBuffer {
	if (typeof Buffer !== 'undefined') {
		const b = Buffer.from(s, 'base64');
		return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
	}
	const bin = atob(s);
	const out = new Uint8Array(bin.length);
	for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
	return out.buffer;
}
