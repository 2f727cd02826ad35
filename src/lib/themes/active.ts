/**
 * "Code next": which uncoded answers would teach the coder most if a person coded them.
 *
 * Uncertainty sampling combined with diversity. Each candidate brings the coder's calibrated
 * probability per theme (`Coder.scores`) and a set of hashed content-word keys (`answerKeys`).
 * Uncertainty is the summed binary entropy of the per-theme probabilities (multi-label: every
 * theme's yes/no is a question the answer could settle), plus, when the coder has not learned yet
 * (keyword evidence only), how little of the answer the codebook explains. Diversity: answers are
 * taken most-uncertain first, but an answer whose words overlap (Jaccard ≥ `maxSimilarity`) with
 * one already chosen in the same batch, or that repeats a chosen answer word for word, is put back
 * after the batch, so one batch does not spend a person's time on ten copies of "nothing".
 *
 * Pure: no framework, server or I/O imports.
 */

export interface QueueCandidate {
	id: string;
	/** calibrated probability per theme (0..1), codebook order */
	probs: ArrayLike<number>;
	/** hashed content-word keys of the answer (any order, repeats ignored) */
	keys: ArrayLike<number>;
}

export interface QueueOptions {
	/** answers per batch inside which near-duplicates are avoided (default 20, a review page) */
	batch?: number;
	/** word overlap (Jaccard) at or above which two answers count as near-duplicates (default 0.5) */
	maxSimilarity?: number;
	/** how many answers to order (default all) */
	limit?: number;
	/** the probabilities are keyword evidence only (no learned themes yet) */
	keywordsOnly?: boolean;
	/**
	 * Weight of representativeness (default 1): uncertainty × density^this, where density is the
	 * answer's mean word overlap with a fixed sample of the other candidates, so that typical
	 * answers the coder is unsure of come before odd ones (information density, Settles & Craven).
	 */
	density?: number;
	/**
	 * Share of each batch (0..1, default 0) taken in a fixed pseudo-random order instead, so the
	 * coded answers stay representative enough for calibration and thresholds.
	 */
	explore?: number;
	/** how per-theme entropies combine: 'sum' (default) or 'max' (the single most undecided theme) */
	aggregate?: 'sum' | 'max';
	/**
	 * How uncertainty is measured once the coder has learned: 'entropy' (default, the summed or
	 * max binary entropy above) or 'margin': how close the answer's most undecided theme is to
	 * that theme's threshold (1 at the threshold, 0 at certainty), which needs `thresholds`.
	 */
	measure?: 'entropy' | 'margin';
	/** per-theme decision thresholds (codebook order), for `measure: 'margin'` */
	thresholds?: ArrayLike<number>;
	/**
	 * Coverage weight (core-set, default 0): inside each batch, answers are taken greedily by
	 * uncertainty × (distance to the nearest answer already coded or chosen)^this, with distance
	 * 1 − Jaccard of content words, so a batch spreads over what has not been coded yet.
	 */
	coverage?: number;
	/** content-word keys of the answers already coded (for `coverage`) */
	coded?: ArrayLike<number>[];
	/**
	 * Seeding before anything is learned (`keywordsOnly`): 'evidence' (default, the answers the
	 * codebook explains least first) or 'kmeans++': k-means++-style picks over the answers'
	 * content words (each next answer the one farthest from those already picked, weighted by
	 * density), so the first answers coded cover the kinds of answer there are.
	 */
	seeding?: 'evidence' | 'kmeans++';
	/**
	 * Weight of "unexplained" (default 0): once the coder has learned, uncertainty + this ×
	 * (1 − the answer's highest theme probability), so answers no theme yet fits (whose small
	 * probabilities carry little entropy) are asked for too: nearly every answer has a theme.
	 */
	unexplained?: number;
}

/** FNV-1a of a string: the fixed pseudo-random order used for exploration and density samples. */
function hashId(s: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < s.length; i++) {
		h ^= s.charCodeAt(i);
		h = Math.imul(h, 16777619);
	}
	return h >>> 0;
}

/** Mean Jaccard overlap of each key set with a fixed sample of at most `sample` others. */
export function densities(keys: Int32Array[], ids: string[], sample = 300): Float64Array {
	const order = ids.map((id, i) => [hashId(id), i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
	const picked = order.slice(0, Math.min(sample, keys.length)).map(([, i]) => i);
	const out = new Float64Array(keys.length);
	for (let i = 0; i < keys.length; i++) {
		let sum = 0;
		let n = 0;
		for (const j of picked) {
			if (j === i) continue;
			sum += jaccard(keys[i], keys[j]);
			n++;
		}
		out[i] = n ? sum / n : 0;
	}
	return out;
}

function entropy(p: number): number {
	if (!(p > 0) || p >= 1) return 0;
	return -(p * Math.log2(p) + (1 - p) * Math.log2(1 - p));
}

/**
 * How much coding this answer would teach the coder: Σ over themes of the binary entropy of its
 * probability (bits). With keyword evidence only, evidence is not a probability, so the score is
 * 1 − (strongest evidence): the answers the codebook explains least come first.
 */
export function uncertainty(
	probs: ArrayLike<number>,
	keywordsOnly = false,
	aggregate: 'sum' | 'max' = 'sum',
	thresholds?: ArrayLike<number>
): number {
	if (keywordsOnly) {
		let max = 0;
		for (let t = 0; t < probs.length; t++) if (probs[t] > max) max = probs[t];
		return 1 - Math.min(1, max);
	}
	if (thresholds) {
		// Margin: 1 − the smallest normalised distance of a theme's probability from its threshold.
		let m = 0;
		for (let t = 0; t < probs.length; t++) {
			const thr = Math.min(0.99, Math.max(0.01, thresholds[t]));
			const d = probs[t] >= thr ? (probs[t] - thr) / (1 - thr) : (thr - probs[t]) / thr;
			if (1 - d > m) m = 1 - d;
		}
		return m;
	}
	let h = 0;
	if (aggregate === 'max') for (let t = 0; t < probs.length; t++) h = Math.max(h, entropy(probs[t]));
	else for (let t = 0; t < probs.length; t++) h += entropy(probs[t]);
	return h;
}

function maxOf(p: ArrayLike<number>): number {
	let m = 0;
	for (let t = 0; t < p.length; t++) if (p[t] > m) m = p[t];
	return Math.min(1, m);
}

/** Jaccard overlap of two sorted, de-duplicated key arrays. */
export function jaccard(a: Int32Array, b: Int32Array): number {
	if (!a.length && !b.length) return 1;
	let i = 0;
	let j = 0;
	let both = 0;
	while (i < a.length && j < b.length) {
		if (a[i] === b[j]) {
			both++;
			i++;
			j++;
		} else if (a[i] < b[j]) i++;
		else j++;
	}
	return both / (a.length + b.length - both);
}

function sortedKeys(keys: ArrayLike<number>): Int32Array {
	const k = Int32Array.from(keys).sort();
	let n = 0;
	for (let i = 0; i < k.length; i++) if (i === 0 || k[i] !== k[i - 1]) k[n++] = k[i];
	return k.slice(0, n);
}

/**
 * The candidates' ids in "code next" order. Deterministic: ties in uncertainty are broken by
 * id. Answers with no content words at all (keys empty) go last: coding them teaches nothing.
 */
export function codeNextOrder(candidates: readonly QueueCandidate[], options: QueueOptions = {}): string[] {
	const batch = Math.max(1, options.batch ?? 20);
	const maxSim = options.maxSimilarity ?? 0.5;
	const limit = Math.min(options.limit ?? candidates.length, candidates.length);
	const beta = options.density ?? 1;
	const explore = Math.min(1, Math.max(0, options.explore ?? 0));
	const margin = options.measure === 'margin' && options.thresholds && !options.keywordsOnly;
	const lambda = options.keywordsOnly ? 0 : (options.unexplained ?? 0);
	const items = candidates.map((c) => ({
		id: c.id,
		u:
			uncertainty(c.probs, options.keywordsOnly, options.aggregate, margin ? options.thresholds : undefined) +
			(lambda > 0 ? lambda * (1 - maxOf(c.probs)) : 0),
		keys: sortedKeys(c.keys),
		h: hashId(c.id)
	}));
	let dens: Float64Array | null = null;
	if ((beta > 0 || options.seeding === 'kmeans++') && items.length > 1) {
		dens = densities(
			items.map((it) => it.keys),
			items.map((it) => it.id)
		);
		if (beta > 0) items.forEach((it, i) => (it.u *= Math.pow(dens![i] + 0.01, beta)));
	}
	if (options.keywordsOnly && options.seeding === 'kmeans++') return kmeansPlusPlus(items, dens, limit);
	if ((options.coverage ?? 0) > 0) return coverageOrder(items, options, limit);
	items.sort((a, b) => {
		const ea = a.keys.length === 0 ? 1 : 0;
		const eb = b.keys.length === 0 ? 1 : 0;
		return ea - eb || b.u - a.u || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
	});
	const out: string[] = [];
	const seen = new Set<string>(); // word sets already chosen, for exact repeats across batches
	let pending = items;
	while (out.length < limit && pending.length) {
		const chosen: Int32Array[] = [];
		const deferred: typeof items = [];
		let k = 0;
		// Exploration: this batch's share of answers in the fixed pseudo-random order.
		const nExplore = Math.round(batch * explore);
		if (nExplore > 0) {
			const random = pending.filter((it) => it.keys.length > 0).sort((a, b) => a.h - b.h || (a.id < b.id ? -1 : 1));
			const taken = new Set<(typeof items)[number]>();
			for (const it of random) {
				if (taken.size >= nExplore || out.length >= limit) break;
				taken.add(it);
				chosen.push(it.keys);
				seen.add(it.keys.join(','));
				out.push(it.id);
			}
			pending = pending.filter((it) => !taken.has(it));
		}
		for (; k < pending.length && chosen.length < batch && out.length < limit; k++) {
			const it = pending[k];
			const sig = it.keys.join(',');
			const near = (it.keys.length > 0 && seen.has(sig)) || chosen.some((c) => jaccard(c, it.keys) >= maxSim);
			if (near) {
				deferred.push(it);
				continue;
			}
			chosen.push(it.keys);
			seen.add(sig);
			out.push(it.id);
		}
		const rest = pending.slice(k);
		// Nothing new could be chosen: the rest are all repeats; keep their uncertainty order.
		if (!chosen.length && pending.length) {
			for (const it of [...deferred, ...rest]) if (out.length < limit) out.push(it.id);
			break;
		}
		// Deferred answers keep their place ahead of less uncertain ones for the next batch.
		pending = mergeByOrder(deferred, rest, items);
	}
	return out;
}

interface Item {
	id: string;
	u: number;
	keys: Int32Array;
	h: number;
}

/**
 * Deterministic k-means++-style seeding: the first pick is the most typical answer (highest
 * density), each next one maximises (distance to the nearest pick)² × density, distance being
 * 1 − Jaccard of content words. Answers with no content words go last.
 */
function kmeansPlusPlus(items: Item[], dens: Float64Array | null, limit: number): string[] {
	const withWords = items.map((it, i) => ({ it, d: dens ? dens[i] : 1 })).filter((x) => x.it.keys.length > 0);
	const out: string[] = [];
	const near = new Float64Array(withWords.length).fill(1);
	const taken = new Uint8Array(withWords.length);
	while (out.length < limit && out.length < withWords.length) {
		let best = -1;
		let bestScore = -1;
		for (let i = 0; i < withWords.length; i++) {
			if (taken[i]) continue;
			const score = near[i] * near[i] * (withWords[i].d + 0.01);
			if (score > bestScore + 1e-12) {
				bestScore = score;
				best = i;
			}
		}
		taken[best] = 1;
		out.push(withWords[best].it.id);
		const k = withWords[best].it.keys;
		for (let i = 0; i < withWords.length; i++)
			if (!taken[i]) near[i] = Math.min(near[i], 1 - jaccard(k, withWords[i].it.keys));
	}
	for (const it of items) if (out.length < limit && it.keys.length === 0) out.push(it.id);
	return out;
}

/**
 * Core-set batches: greedily, uncertainty × (distance to the nearest coded or chosen answer)^γ;
 * an exact repeat of a coded or chosen answer's words has distance 0, so it comes last.
 */
function coverageOrder(items: Item[], options: QueueOptions, limit: number): string[] {
	const gamma = options.coverage ?? 0;
	const pool = items.filter((it) => it.keys.length > 0);
	const near = new Float64Array(pool.length).fill(1);
	for (const c of options.coded ?? []) {
		const k = sortedKeys(c);
		for (let i = 0; i < pool.length; i++) near[i] = Math.min(near[i], 1 - jaccard(k, pool[i].keys));
	}
	const taken = new Uint8Array(pool.length);
	const out: string[] = [];
	// Greedy (quadratic) for at most 1,000 picks; a queue page needs 20.
	const greedy = Math.min(limit, pool.length, 1000);
	while (out.length < greedy) {
		let best = -1;
		let bestScore = -1;
		for (let i = 0; i < pool.length; i++) {
			if (taken[i]) continue;
			const score = pool[i].u * Math.pow(near[i], gamma);
			if (score > bestScore + 1e-12) {
				bestScore = score;
				best = i;
			}
		}
		taken[best] = 1;
		out.push(pool[best].id);
		for (let i = 0; i < pool.length; i++)
			if (!taken[i]) near[i] = Math.min(near[i], 1 - jaccard(pool[best].keys, pool[i].keys));
	}
	// Past the greedy part: the rest by the same score, then the answers with no content words.
	const rest = pool
		.map((it, i) => ({ it, s: it.u * Math.pow(near[i], gamma), i }))
		.filter((x) => !taken[x.i])
		.sort((a, b) => b.s - a.s || (a.it.id < b.it.id ? -1 : 1));
	for (const x of rest) if (out.length < limit) out.push(x.it.id);
	for (const it of items) if (out.length < limit && it.keys.length === 0) out.push(it.id);
	return out;
}

function mergeByOrder<T>(a: T[], b: T[], order: T[]): T[] {
	const pos = new Map(order.map((x, i) => [x, i]));
	const out: T[] = [];
	let i = 0;
	let j = 0;
	while (i < a.length || j < b.length) {
		if (j >= b.length || (i < a.length && pos.get(a[i])! < pos.get(b[j])!)) out.push(a[i++]);
		else out.push(b[j++]);
	}
	return out;
}
