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
		const ys = examples.map((e) => e.label);
		const pos = ys.filter((y) => y === 1).length;
		const neg = ys.length - pos;
		const cwPos = ys.length / (2 * Math.max(1, pos));
		const cwNeg = ys.length / (2 * Math.max(1, neg));
		// Runs of the same example (the built-in model repeats each negative ten times in a row,
		// scripts/safeguarding-model.ts): one entry with its count. Within an epoch the weights do not change,
		// so every copy has the same z and error; the gradient still gets each copy's addition one after another
		// (below), so the sums, and the weights, are bit for bit those of one entry per copy, for less work.
		const runs: { x: { idx: number[]; val: number[] }; y: 0 | 1; times: number }[] = [];
		for (let k = 0; k < examples.length; k++) {
			const e = examples[k];
			const before = k > 0 ? examples[k - 1] : null;
			if (before && before.text === e.text && before.extra === e.extra && before.label === e.label)
				runs[runs.length - 1].times++;
			else runs.push({ x: features(e.text, e.extra), y: e.label, times: 1 });
		}
		// Only buckets that occur in training can get a weight: keep them in a compact map.
		const slot = new Map<number, number>();
		for (const r of runs) for (const i of r.x.idx) if (!slot.has(i)) slot.set(i, slot.size);
		const w = new Float64Array(slot.size);
		const grad = new Float64Array(slot.size);
		// Every run's slots end to end (`start[r]` to `start[r + 1]`), and its one feature value: features() gives
		// every bucket of an answer the same value, 1 / sqrt(buckets).
		const start = new Int32Array(runs.length + 1);
		for (let r = 0; r < runs.length; r++) start[r + 1] = start[r] + runs[r].x.idx.length;
		const local = new Int32Array(start[runs.length]);
		const value = new Float64Array(runs.length);
		const label = new Float64Array(runs.length);
		const weight = new Float64Array(runs.length);
		const times = new Int32Array(runs.length);
		for (let r = 0; r < runs.length; r++) {
			const { idx, val } = runs[r].x;
			for (let j = 0; j < idx.length; j++) local[start[r] + j] = slot.get(idx[j])!;
			value[r] = val.length ? val[0] : 0;
			label[r] = runs[r].y;
			weight[r] = runs[r].y === 1 ? cwPos : cwNeg;
			times[r] = runs[r].times;
		}
		let bias = 0;
		const n = Math.max(1, examples.length);
		for (let epoch = 0; epoch < epochs; epoch++) {
			grad.fill(0);
			let gb = 0;
			for (let r = 0; r < runs.length; r++) {
				let z = bias;
				const from = start[r];
				const to = start[r + 1];
				const v = value[r];
				for (let j = from; j < to; j++) z += w[local[j]] * v;
				const p = 1 / (1 + Math.exp(-z));
				const err = (p - label[r]) * weight[r];
				const m = times[r];
				for (let t = 0; t < m; t++) gb += err;
				const step = err * v;
				if (m === 1) for (let j = from; j < to; j++) grad[local[j]] += step;
				else
					for (let j = from; j < to; j++) {
						let g = grad[local[j]];
						for (let t = 0; t < m; t++) g += step;
						grad[local[j]] = g;
					}
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
