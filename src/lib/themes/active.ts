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
export function uncertainty(probs: ArrayLike<number>, keywordsOnly = false, aggregate: 'sum' | 'max' = 'sum'): number {
	if (keywordsOnly) {
		let max = 0;
		for (let t = 0; t < probs.length; t++) if (probs[t] > max) max = probs[t];
		return 1 - Math.min(1, max);
	}
	let h = 0;
	if (aggregate === 'max') for (let t = 0; t < probs.length; t++) h = Math.max(h, entropy(probs[t]));
	else for (let t = 0; t < probs.length; t++) h += entropy(probs[t]);
	return h;
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
	const items = candidates.map((c) => ({
		id: c.id,
		u: uncertainty(c.probs, options.keywordsOnly, options.aggregate),
		keys: sortedKeys(c.keys),
		h: hashId(c.id)
	}));
	if (beta > 0 && items.length > 1) {
		const dens = densities(
			items.map((it) => it.keys),
			items.map((it) => it.id)
		);
		items.forEach((it, i) => (it.u *= Math.pow(dens[i] + 0.01, beta)));
	}
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
