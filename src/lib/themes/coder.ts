/**
 * The coder: keyword evidence from the codebook plus, when coded answers are given, a one-vs-rest
 * linear SVM per theme on TF-IDF features, with Platt-calibrated confidences and per-theme
 * thresholds chosen by k-fold cross-validation on the training answers only.
 */
import type { Codebook } from './codebook';
import { parseCodebook } from './codebook';
import { evaluate } from './evaluate';
import { Vectorizer, rawFeatures, type SparseRow } from './features';
import { KeywordMatcher, analyse, codebookWords, type Analysed } from './keywords';
import { dot, plattFit, rng, shuffle, sigmoidPlatt, toCsr, trainSvm } from './linear';
import { Speller, tokenize } from './text';

export interface Answer {
	id: string;
	text: string;
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

const DEFAULTS: Required<TrainOptions> = { C: 0.25, positiveWeight: 1, folds: 5, minDf: 2, minPositives: 3, seed: 42, shrinkage: 10 };
const KEYWORD_THRESHOLD = 0.5;

/** A ready-to-use coder (build with trainCoder or loadCoder). */
export class Coder {
	readonly model: CoderModel;
	readonly codebook: Codebook;
	private speller: Speller;
	private matcher: KeywordMatcher;
	private vectorizer: Vectorizer | null;
	private W: Float32Array | null;
	private T: number;

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
	}

	/** Calibrated confidence per theme (codebook order) for one text. */
	scores(text: string): Float64Array {
		const a = analyse(text, this.speller);
		const kw = this.matcher.score(a);
		const out = new Float64Array(this.T);
		let dec: Float64Array | null = null;
		if (this.vectorizer && this.W) {
			const row = buildRow(this.vectorizer, a, kw);
			dec = new Float64Array(this.T);
			accumulate(this.W, this.T, row.idx, row.val, dec);
		}
		for (let t = 0; t < this.T; t++) {
			const th = this.model.themes[t];
			if (th.source === 'learned' && dec) out[t] = sigmoidPlatt(dec[t], th.platt!);
			else if (th.source === 'keywords') out[t] = kw[t];
		}
		return out;
	}

	/** Code one answer: themes above their thresholds (at least the top one when it is reasonable). */
	code(text: string): ThemeScore[] {
		return decide(this.scores(text), this.model);
	}
}

/** dec[t] += Σ_k W[idx[k]·T + t]·val[k] (feature-major weights: one cache-friendly pass). */
function accumulate(W: Float32Array, T: number, idx: Int32Array, val: Float32Array, dec: Float64Array): void {
	for (let k = 0; k < idx.length; k++) {
		const base = idx[k] * T;
		const v = val[k];
		for (let t = 0; t < T; t++) dec[t] += W[base + t] * v;
	}
}

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

function buildRow(vec: Vectorizer, a: Analysed, kw: Float64Array): SparseRow {
	const base = vec.vectorize(a);
	const D = vec.dims;
	const T = kw.length;
	let extra = 1;
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
	val[k] = 1;
	return { idx, val };
}

/**
 * Build a coder. Without coded answers it codes from the codebook alone (keywords, labels and
 * descriptions, spelling tolerant). With coded answers it learns one linear SVM per theme.
 */
export function trainCoder(codebookInput: Codebook | unknown, coded: CodedAnswer[] = [], options: TrainOptions = {}): Coder {
	const codebook = parseCodebook(codebookInput);
	const opts = { ...DEFAULTS, ...options };
	const T = codebook.themes.length;
	const themeIndex = new Map(codebook.themes.map((t, i) => [t.id, i]));
	for (const c of coded)
		for (const id of c.themes) if (!themeIndex.has(id)) throw new Error(`answer ${c.id}: unknown theme id "${id}"`);

	// Spelling vocabulary: codebook words plus words used in ≥ 2 coded answers.
	const df = new Map<string, number>();
	for (const c of coded) for (const w of new Set(tokenize(c.text))) df.set(w, (df.get(w) ?? 0) + 1);
	const vocab = new Map<string, number>();
	for (const w of codebookWords(codebook)) vocab.set(w, 1);
	for (const [w, f] of df) if (f >= 2) vocab.set(w, (vocab.get(w) ?? 0) + f);
	const spellerVocabulary = [...vocab.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));

	const positives = codebook.themes.map((t) => coded.filter((c) => c.themes.includes(t.id)).length);
	const keywordTheme = (i: number) => {
		const t = codebook.themes[i];
		return (t.keywords?.length ?? 0) > 0 || !!t.description || tokenize(t.label).length <= 3;
	};

	const base: CoderModel = {
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
	const learnable = positives.map((p) => p >= opts.minPositives && coded.length - p >= opts.minPositives);
	if (!learnable.some(Boolean)) return new Coder(base);

	const speller = new Speller(spellerVocabulary);
	const matcher = new KeywordMatcher(codebook);
	const analysed: Analysed[] = coded.map((c) => analyse(c.text, speller));
	const raws = analysed.map((a) => rawFeatures(a));
	const vec = Vectorizer.fit(raws, opts.minDf);
	const rows = analysed.map((a) => buildRow(vec, a, matcher.score(a)));
	const dims = vec.dims + T + 1;
	const X = toCsr(rows);
	const n = coded.length;
	const Y: Int8Array[] = codebook.themes.map((t) => Int8Array.from(coded, (c) => (c.themes.includes(t.id) ? 1 : -1)));

	// k-fold cross-validation: out-of-fold decision values for calibration and thresholds.
	const folds = Math.max(2, Math.min(opts.folds, n));
	const perm = shuffle(Array.from({ length: n }, (_, i) => i), rng(opts.seed));
	const foldOf = new Int32Array(n);
	perm.forEach((i, r) => (foldOf[i] = r % folds));
	const oof: Float64Array[] = codebook.themes.map(() => new Float64Array(n));
	for (let f = 0; f < folds; f++) {
		const trIdx: number[] = [];
		const teIdx: number[] = [];
		for (let i = 0; i < n; i++) (foldOf[i] === f ? teIdx : trIdx).push(i);
		const subset = Int32Array.from(trIdx);
		for (let t = 0; t < T; t++) {
			if (!learnable[t]) continue;
			const y = Int8Array.from(trIdx, (i) => Y[t][i]);
			if (!y.some((v) => v > 0)) {
				for (const i of teIdx) oof[t][i] = -1;
				continue;
			}
			const w = trainSvm(X, y, dims, { C: opts.C, positiveWeight: opts.positiveWeight, seed: opts.seed + t }, subset);
			for (const i of teIdx) oof[t][i] = dot(w, rows[i]);
		}
	}

	// Calibration (Platt) and per-theme thresholds maximising F1 on the out-of-fold predictions.
	const probs: Float64Array[] = codebook.themes.map(() => new Float64Array(n));
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
	const thresholds = codebook.themes.map((_, t) => {
		if (!learnable[t]) return KEYWORD_THRESHOLD;
		const b = bestThreshold(Array.from(probs[t]), Array.from(Y[t]));
		const m = opts.shrinkage;
		return (positives[t] * b.threshold + m * globalT) / (positives[t] + m);
	});

	// Keyword-only themes take part in the out-of-fold decision with their keyword scores.
	const kwScores = analysed.map((a) => matcher.score(a));
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
		Float64Array.from(model.themes, (th, t) => (th.source === 'learned' ? probs[t][i] : th.source === 'keywords' ? kwScores[i][t] : 0));
	const oofProbs = Array.from({ length: n }, (_, i) => oofP(i));
	const gold = coded.map((c) => c.themes);
	let bestFloor: number | null = null;
	let bestF = microF1(oofProbs.map((p) => decide(p, { ...model, topFloor: null }).map((s) => s.id)), gold);
	for (const floor of [0.5, 0.4, 0.3, 0.25, 0.2, 0.15, 0.1, 0.05, 0.02]) {
		const f1 = microF1(oofProbs.map((p) => decide(p, { ...model, topFloor: floor }).map((s) => s.id)), gold);
		if (f1 > bestF + 1e-9) {
			bestF = f1;
			bestFloor = floor;
		}
	}
	model.topFloor = bestFloor;
	const oofPred = oofProbs.map((p, i) => ({ id: String(i), themes: decide(p, model).map((s) => s.id) }));
	const cvEval = evaluate(oofPred, gold.map((g, i) => ({ id: String(i), themes: g })), { themeIds: codebook.themes.map((t) => t.id) });
	model.cv = { microF1: round(cvEval.micro.f1), macroF1: round(cvEval.macroF1) };

	// Final models on all coded answers, stored feature-major for fast coding.
	const W = new Float32Array(dims * T);
	for (let t = 0; t < T; t++) {
		if (!learnable[t]) continue;
		const w = trainSvm(X, Y[t], dims, { C: opts.C, positiveWeight: opts.positiveWeight, seed: opts.seed + t });
		for (let d = 0; d < dims; d++) W[d * T + t] = w[d];
	}
	model.vectorizer = { hashes: toB64(vec.hashes), idf: toB64(vec.idf), charStart: vec.charStart };
	model.weights = toB64(W);
	return new Coder(model);
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
	let tp = 0, fp = 0, fn = 0;
	for (let i = 0; i < pred.length; i++) {
		const g = new Set(gold[i]);
		for (const p of pred[i]) if (g.has(p)) tp++;
			else fp++;
		for (const x of g) if (!pred[i].includes(x)) fn++;
	}
	return tp ? (2 * tp) / (2 * tp + fp + fn) : 0;
}

/** Code many answers. */
export function codeAnswers(coder: Coder, answers: Answer[]): CodingResult[] {
	return answers.map((a) => ({ id: a.id, themes: coder.code(a.text) }));
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
