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
export function uncertainty(probs: ArrayLike<number>, keywordsOnly = false): number {
	if (keywordsOnly) {
		let max = 0;
		for (let t = 0; t < probs.length; t++) if (probs[t] > max) max = probs[t];
		return 1 - Math.min(1, max);
	}
	let h = 0;
	for (let t = 0; t < probs.length; t++) h += entropy(probs[t]);
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
	const items = candidates.map((c) => ({ id: c.id, u: uncertainty(c.probs, options.keywordsOnly), keys: sortedKeys(c.keys) }));
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
		if (!chosen.length) {
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
