/**
 * Linear learners in plain TypeScript: L2-regularised, L2-loss (squared hinge) linear SVM trained
 * by dual coordinate descent (Hsieh et al. 2008, the liblinear solver), Platt scaling, and a
 * seeded PRNG so that training is deterministic.
 */
import type { SparseRow } from './features';
import { seededRandom } from '../util/random';

/** The seeded generator's next() (mulberry32, util/random.ts): training is deterministic. */
export function rng(seed: number): () => number {
	return seededRandom(seed).next;
}

export function shuffle<T>(arr: T[], rand: () => number): T[] {
	for (let i = arr.length - 1; i > 0; i--) {
		const j = Math.floor(rand() * (i + 1));
		[arr[i], arr[j]] = [arr[j], arr[i]];
	}
	return arr;
}

export interface SvmOptions {
	/** regularisation: larger C = less regularisation */
	C: number;
	/** extra weight multiplier on positive examples' C */
	positiveWeight?: number;
	maxIter?: number;
	eps?: number;
	seed?: number;
}

/** Rows packed into one compressed-sparse-row block (faster to sweep than row objects). */
export interface Csr {
	ptr: Int32Array;
	idx: Int32Array;
	val: Float32Array;
}

export function toCsr(rows: SparseRow[]): Csr {
	const ptr = new Int32Array(rows.length + 1);
	for (let i = 0; i < rows.length; i++) ptr[i + 1] = ptr[i] + rows[i].idx.length;
	const idx = new Int32Array(ptr[rows.length]);
	const val = new Float32Array(ptr[rows.length]);
	rows.forEach((r, i) => {
		idx.set(r.idx, ptr[i]);
		val.set(r.val, ptr[i]);
	});
	return { ptr, idx, val };
}

/**
 * Train on the rows of `X` listed in `subset` (all rows when omitted); `y[k]` is the label (±1)
 * of the k-th training row. Rows must already contain a bias feature if one is wanted.
 * Returns dense weights.
 */
export function trainSvm(X: Csr, y: Int8Array, dims: number, opts: SvmOptions, subset?: Int32Array): Float64Array {
	const rowsOf = subset ?? Int32Array.from({ length: X.ptr.length - 1 }, (_, i) => i);
	const n = rowsOf.length;
	const { ptr, idx, val } = X;
	const w = new Float64Array(dims);
	const alpha = new Float64Array(n);
	const diag = new Float64Array(n);
	const qd = new Float64Array(n);
	const cPos = opts.C * (opts.positiveWeight ?? 1);
	for (let i = 0; i < n; i++) {
		const C = y[i] > 0 ? cPos : opts.C;
		diag[i] = 0.5 / C;
		let sq = 0;
		const r = rowsOf[i];
		for (let k = ptr[r]; k < ptr[r + 1]; k++) sq += val[k] * val[k];
		qd[i] = sq + diag[i];
	}
	const index = Int32Array.from({ length: n }, (_, i) => i);
	const rand = rng(opts.seed ?? 1);
	const maxIter = opts.maxIter ?? 200;
	const eps = opts.eps ?? 0.1;
	// Dual coordinate descent with liblinear's shrinking of bound (alpha = 0) examples.
	let active = n;
	let pgMaxOld = Infinity;
	for (let iter = 0; iter < maxIter; iter++) {
		for (let k = active - 1; k > 0; k--) {
			const j = Math.floor(rand() * (k + 1));
			const tmp = index[k];
			index[k] = index[j];
			index[j] = tmp;
		}
		let pgMax = -Infinity;
		let pgMin = Infinity;
		for (let s = 0; s < active; s++) {
			const i = index[s];
			const r = rowsOf[i];
			const a = ptr[r];
			const b = ptr[r + 1];
			const yi = y[i];
			let dot = 0;
			for (let k = a; k < b; k++) dot += w[idx[k]] * val[k];
			const G = yi * dot - 1 + diag[i] * alpha[i];
			let PG = 0;
			if (alpha[i] === 0) {
				if (G > pgMaxOld) {
					active--;
					index[s] = index[active];
					index[active] = i;
					s--;
					continue;
				} else if (G < 0) PG = G;
			} else PG = G;
			if (PG > pgMax) pgMax = PG;
			if (PG < pgMin) pgMin = PG;
			if (PG > 1e-12 || PG < -1e-12) {
				const old = alpha[i];
				const nw = Math.max(old - G / qd[i], 0);
				alpha[i] = nw;
				const d = (nw - old) * yi;
				if (d !== 0) for (let k = a; k < b; k++) w[idx[k]] += d * val[k];
			}
		}
		if (pgMax - pgMin <= eps) {
			if (active === n) break;
			active = n;
			pgMaxOld = Infinity;
			continue;
		}
		pgMaxOld = pgMax <= 0 ? Infinity : pgMax;
	}
	return w;
}

export function dot(w: ArrayLike<number>, row: SparseRow): number {
	let s = 0;
	const { idx, val } = row;
	for (let k = 0; k < idx.length; k++) s += w[idx[k]] * val[k];
	return s;
}

/** Platt scaling: fit P(y=1|f) = 1/(1+exp(A·f+B)) by Newton's method (Lin, Lin & Weng 2007). */
export function plattFit(f: ArrayLike<number>, y: ArrayLike<number>): [number, number] {
	const n = f.length;
	let prior1 = 0;
	for (let i = 0; i < n; i++) if (y[i] > 0) prior1++;
	const prior0 = n - prior1;
	const hiTarget = (prior1 + 1) / (prior1 + 2);
	const loTarget = 1 / (prior0 + 2);
	const t = new Float64Array(n);
	for (let i = 0; i < n; i++) t[i] = y[i] > 0 ? hiTarget : loTarget;
	let A = 0;
	let B = Math.log((prior0 + 1) / (prior1 + 1));
	const sigma = 1e-12;
	const objective = (a: number, b: number) => {
		let fv = 0;
		for (let i = 0; i < n; i++) {
			const fApB = f[i] * a + b;
			fv += fApB >= 0 ? t[i] * fApB + Math.log1p(Math.exp(-fApB)) : (t[i] - 1) * fApB + Math.log1p(Math.exp(fApB));
		}
		return fv;
	};
	let fval = objective(A, B);
	for (let it = 0; it < 100; it++) {
		let h11 = sigma,
			h22 = sigma,
			h21 = 0,
			g1 = 0,
			g2 = 0;
		for (let i = 0; i < n; i++) {
			const fApB = f[i] * A + B;
			let p: number, q: number;
			if (fApB >= 0) {
				p = Math.exp(-fApB) / (1 + Math.exp(-fApB));
				q = 1 / (1 + Math.exp(-fApB));
			} else {
				p = 1 / (1 + Math.exp(fApB));
				q = Math.exp(fApB) / (1 + Math.exp(fApB));
			}
			const d2 = p * q;
			h11 += f[i] * f[i] * d2;
			h22 += d2;
			h21 += f[i] * d2;
			const d1 = t[i] - p;
			g1 += f[i] * d1;
			g2 += d1;
		}
		if (Math.abs(g1) < 1e-5 && Math.abs(g2) < 1e-5) break;
		const det = h11 * h22 - h21 * h21;
		const dA = -(h22 * g1 - h21 * g2) / det;
		const dB = -(-h21 * g1 + h11 * g2) / det;
		const gd = g1 * dA + g2 * dB;
		let step = 1;
		let moved = false;
		while (step >= 1e-10) {
			const nA = A + step * dA;
			const nB = B + step * dB;
			const nf = objective(nA, nB);
			if (nf < fval + 1e-4 * step * gd) {
				A = nA;
				B = nB;
				fval = nf;
				moved = true;
				break;
			}
			step /= 2;
		}
		if (!moved) break;
	}
	return [A, B];
}

export function sigmoidPlatt(f: number, ab: readonly [number, number]): number {
	const z = f * ab[0] + ab[1];
	return z >= 0 ? Math.exp(-z) / (1 + Math.exp(-z)) : 1 / (1 + Math.exp(z));
}
