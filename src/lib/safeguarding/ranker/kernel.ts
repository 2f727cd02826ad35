/**
 * The learned ranker's arithmetic: hashed word and character n-grams, and a logistic regression
 * trained by full-batch gradient descent. Pure and deterministic (same labels, same weights).
 *
 * Everything lives inside ONE function that refers to nothing outside itself, on purpose: the
 * server trains in a worker thread by evaluating `rankerKernel.toString()` there (see
 * src/lib/server/safeguarding/ranker-worker.ts). The built server is one Vite bundle with no
 * separate worker file to point a Worker at, and this keeps the worker and the request path
 * running literally the same code. Do not import anything into this function or call a helper
 * declared outside it.
 */
export function rankerKernel() {
	/** 2^18 buckets: big enough that the n-grams of a few thousand answers rarely collide. */
	const DIMS = 1 << 18;

	const PRIME = 0x01000193;
	function fnv(h: number, s: string): number {
		// FNV-1a, 32-bit, continued from state h
		for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), PRIME);
		return h;
	}
	const SEED = 0x811c9dc5;
	const WORD = fnv(SEED, 'w:');
	const BIGRAM = fnv(SEED, 'b:');
	const CHAR = fnv(SEED, 'c:');
	const EXTRA = fnv(SEED, 'x:');

	function hash(s: string): number {
		return (fnv(SEED, s) >>> 0) % DIMS;
	}

	/**
	 * Word unigrams and bigrams, and character 3- to 5-grams inside each word (padded with spaces),
	 * so that a misspelling ("cuting", "cutt") still shares most features with the word staff saw.
	 * Binary features scaled to unit length, so a long answer does not outweigh a short one.
	 * Buckets are hash(`w:${word}`), hash(`b:${word} ${next}`) and hash(`c:${gram}`); the hashes are
	 * computed incrementally (FNV-1a extends one character at a time), without building the strings,
	 * because the built-in model scores every answer on the request path.
	 */
	let scratch = new Uint32Array(1024);

	/**
	 * `extra`: named features beside the text's n-grams (hash(`x:${name}`)); the built-in screening
	 * model passes what the screen found (vocabulary categories, corrected spellings) this way.
	 */
	/** Fills `scratch` with the text's buckets (repeats included) and returns how many there are. */
	function collect(text: string, extra?: readonly string[]): number {
		let lower = text.toLowerCase();
		// eslint-disable-next-line no-control-regex
		if (/[^\x00-\x7f]/.test(lower)) lower = lower.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
		const words = lower.replace(/[’']/g, '').split(/[^a-z0-9]+/);
		let buf = scratch;
		let n = 0;
		const add = (b: number) => {
			if (n === buf.length) {
				const bigger = new Uint32Array(buf.length * 2);
				bigger.set(buf);
				buf = scratch = bigger;
			}
			buf[n++] = b;
		};
		let prev = '';
		for (let i = 0; i < words.length; i++) {
			const w = words[i];
			if (w.length === 0) continue;
			add((fnv(WORD, w) >>> 0) % DIMS);
			if (prev) add((fnv(Math.imul(fnv(BIGRAM, prev) ^ 32, PRIME), w) >>> 0) % DIMS);
			prev = w;
			// Character n-grams of " w ": positions -1 (the leading space) .. w.length (the trailing one).
			const len = w.length + 2;
			for (let k = 0; k + 3 <= len; k++) {
				let h = CHAR;
				for (let j = k; j < k + 5 && j < len; j++) {
					const c = j === 0 || j === len - 1 ? 32 : w.charCodeAt(j - 1);
					h = Math.imul(h ^ c, PRIME);
					if (j - k >= 2) add((h >>> 0) % DIMS);
				}
			}
		}
		if (extra) for (const name of extra) add((fnv(EXTRA, name) >>> 0) % DIMS);
		return n;
	}

	function features(text: string, extra?: readonly string[]): { idx: number[]; val: number[] } {
		const n = collect(text, extra);
		// Distinct buckets in ascending order.
		const sorted = scratch.subarray(0, n).sort();
		const idx: number[] = [];
		for (let k = 0; k < n; k++) if (k === 0 || sorted[k] !== sorted[k - 1]) idx.push(sorted[k]);
		const v = idx.length ? 1 / Math.sqrt(idx.length) : 0;
		return { idx, val: idx.map(() => v) };
	}

	/**
	 * The same sum as features() gives a linear model with the weights in `dense` (one per bucket), without
	 * sorting or building arrays: every answer on the request path is scored, and the sort and the two
	 * arrays were the largest single cost of screening an answer (profile, 1 Dec 2026). Repeated buckets
	 * count once, as in features(): a stamp per bucket says which answer last counted it.
	 */
	let stamp: Uint32Array | null = null;
	let answerNo = 0;
	function denseSum(dense: Float32Array, text: string, extra?: readonly string[]): { sum: number; count: number } {
		const n = collect(text, extra);
		if (!stamp) stamp = new Uint32Array(DIMS);
		if (++answerNo === 0xffffffff) {
			stamp.fill(0);
			answerNo = 1;
		}
		let sum = 0;
		let count = 0;
		for (let k = 0; k < n; k++) {
			const b = scratch[k];
			if (stamp[b] === answerNo) continue;
			stamp[b] = answerNo;
			sum += dense[b];
			count++;
		}
		return { sum, count };
	}

	interface Model {
		dims: number;
		bias: number;
		/** [bucket, weight] for every bucket with a weight; all others are 0. */
		weights: [number, number][];
	}

	/**
	 * Logistic regression with L2 regularisation. Positives and negatives are weighted so each
	 * class counts equally whatever the balance of staff decisions.
	 */
	function train(
		examples: { text: string; label: 0 | 1; extra?: readonly string[] }[],
		opts: { epochs?: number; rate?: number; l2?: number } = {}
	): Model {
		const epochs = opts.epochs ?? 300;
		const rate = opts.rate ?? 2;
		const l2 = opts.l2 ?? 1e-3;
		const xs = examples.map((e) => features(e.text, e.extra));
		const ys = examples.map((e) => e.label);
		const pos = ys.filter((y) => y === 1).length;
		const neg = ys.length - pos;
		const cw = ys.map((y) => (y === 1 ? ys.length / (2 * Math.max(1, pos)) : ys.length / (2 * Math.max(1, neg))));
		// Only buckets that occur in training can get a weight: keep them in a compact map.
		const slot = new Map<number, number>();
		for (const x of xs) for (const i of x.idx) if (!slot.has(i)) slot.set(i, slot.size);
		const w = new Float64Array(slot.size);
		const grad = new Float64Array(slot.size);
		const local = xs.map((x) => x.idx.map((i) => slot.get(i)!));
		let bias = 0;
		const n = Math.max(1, examples.length);
		for (let epoch = 0; epoch < epochs; epoch++) {
			grad.fill(0);
			let gb = 0;
			for (let k = 0; k < xs.length; k++) {
				let z = bias;
				const li = local[k];
				const lv = xs[k].val;
				for (let j = 0; j < li.length; j++) z += w[li[j]] * lv[j];
				const p = 1 / (1 + Math.exp(-z));
				const err = (p - ys[k]) * cw[k];
				gb += err;
				for (let j = 0; j < li.length; j++) grad[li[j]] += err * lv[j];
			}
			for (let j = 0; j < w.length; j++) w[j] -= rate * (grad[j] / n + l2 * w[j]);
			bias -= rate * (gb / n);
		}
		const weights: [number, number][] = [];
		for (const [bucket, j] of slot) {
			const rounded = Math.round(w[j] * 1e5) / 1e5;
			if (rounded !== 0) weights.push([bucket, rounded]);
		}
		weights.sort((a, b) => a[0] - b[0]);
		return { dims: DIMS, bias: Math.round(bias * 1e5) / 1e5, weights };
	}

	/** A scorer for one model: text → probability (0..1) that staff would act on it. */
	function scorer(model: Model): (text: string) => number {
		const table = new Map<number, number>(model.weights);
		return (text: string) => {
			const x = features(text);
			let z = model.bias;
			for (let j = 0; j < x.idx.length; j++) z += (table.get(x.idx[j]) ?? 0) * x.val[j];
			return 1 / (1 + Math.exp(-z));
		};
	}

	/**
	 * One training run as the worker does it: train each scope that has labels, then score every
	 * answer with its consultation's model, or the installation's (scope null) where its
	 * consultation has none. Answers with no model to score them get null.
	 */
	function run(input: {
		scopes: { consultationId: number | null; examples: { text: string; label: 0 | 1 }[] }[];
		answers: { id: number; consultationId: number; text: string }[];
	}): { models: { consultationId: number | null; model: Model }[]; scores: [number, number | null][] } {
		const models = input.scopes.map((s) => ({ consultationId: s.consultationId, model: train(s.examples) }));
		const scorers = new Map(models.map((m) => [m.consultationId, scorer(m.model)]));
		const scores: [number, number | null][] = input.answers.map((a) => {
			const f = scorers.get(a.consultationId) ?? scorers.get(null);
			return [a.id, f ? Math.round(f(a.text) * 1e4) / 1e4 : null];
		});
		return { models, scores };
	}

	return { DIMS, hash, features, denseSum, train, scorer, run };
}

export type RankerKernel = ReturnType<typeof rankerKernel>;
export type RankerModel = ReturnType<RankerKernel['train']>;
