// Experiment (issue #12, sixth round): decision rules compared on hold-outs of the NHS training file
// only (never test.csv / gold.csv), without retraining per rule. For each hold-out the coder is
// trained once on 4/5 of train.csv; its out-of-fold confidences (the ones it calibrated on) and the
// held-out fifth's confidences are cached as JSON in DIR, then every rule is chosen on the former and
// scored on the latter:
//   npx tsx scripts/bench/themes-rules.ts DIR ['{"rareWeight":0.25}']   (THEMES_RULES_N=200: trained on 200 answers)
// Rules: the engine's (per-theme thresholds + top-theme floor, reproduced here as a check), always the
// top theme, threshold shrinkage 3 / 30, and stacking for label co-occurrence: per theme an L2 logistic
// regression on [logit of its own confidence, every theme's confidence, 1] (or only its own), fitted on
// the out-of-fold confidences, with thresholds from its own 5-fold out-of-fold values.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bestThreshold, trainCoder, type TrainingDetails } from '../../src/lib/themes/coder';
import { rng, shuffle } from '../../src/lib/themes/linear';
import { fifthOf, loadNhsTraining } from './themes-holdout';

type M = number[][];
const N = Number(process.env.THEMES_RULES_N ?? 0);
interface Dump {
	themes: { id: string; source: string; threshold: number }[];
	topFloor: number | null;
	train: { gold: string[][]; probs: M };
	held: { gold: string[][]; probs: M };
}

function dumpFor(dir: string, h: number, opts: string): Dump {
	const file = path.join(dir, `h${h}.json`);
	if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as Dump;
	const nhs = loadNhsTraining();
	if (!nhs) throw new Error('NHS data not found');
	let coded = nhs.train.filter((a) => fifthOf(a.id) !== h);
	// THEMES_RULES_N=200: that many answers drawn at random from the 4/5 (an officer's afternoon).
	if (N) coded = shuffle(coded, rng(1000 + h)).slice(0, N);
	const held = nhs.train.filter((a) => fifthOf(a.id) === h);
	const details: TrainingDetails = {};
	const cpu = process.cpuUsage();
	const coder = trainCoder(nhs.codebook, coded, JSON.parse(opts), details);
	const used = process.cpuUsage(cpu);
	console.log(
		`hold-out ${h}: trained in ${((used.user + used.system) / 1e6).toFixed(1)} s CPU, load ${os.loadavg()[0].toFixed(1)}`
	);
	const dump: Dump = {
		themes: coder.model.themes,
		topFloor: coder.model.topFloor,
		train: { gold: coded.map((a) => a.themes), probs: details.oofProbs!.map((p) => Array.from(p)) },
		held: { gold: held.map((a) => a.themes), probs: held.map((a) => Array.from(coder.scores(a.text))) }
	};
	fs.writeFileSync(file, JSON.stringify(dump));
	return dump;
}

const labels = (gold: string[][], ids: string[]): M => gold.map((g) => ids.map((id) => (g.includes(id) ? 1 : 0)));

function decide(P: M, th: number[], src: string[], floor: number | null): M {
	return P.map((p) => {
		const out = p.map((v, t) => (src[t] !== 'none' && v >= th[t] && v > 0 ? 1 : 0));
		if (floor !== null && !out.some(Boolean)) {
			let b = -1;
			p.forEach((v, t) => {
				if (src[t] !== 'none' && (b < 0 || v > p[b])) b = t;
			});
			if (b >= 0 && p[b] >= floor && p[b] > 0) out[b] = 1;
		}
		return out;
	});
}

function score(pred: M, Y: M): [number, number] {
	const T = Y[0].length;
	let TP = 0,
		FP = 0,
		FN = 0;
	const f1s: number[] = [];
	for (let t = 0; t < T; t++) {
		let tp = 0,
			fp = 0,
			fn = 0;
		for (let i = 0; i < Y.length; i++) {
			if (pred[i][t] && Y[i][t]) tp++;
			else if (pred[i][t]) fp++;
			else if (Y[i][t]) fn++;
		}
		TP += tp;
		FP += fp;
		FN += fn;
		if (tp + fn >= 5) f1s.push(tp ? (2 * tp) / (2 * tp + fp + fn) : 0);
	}
	return [(2 * TP) / (2 * TP + FP + FN), f1s.reduce((a, b) => a + b, 0) / f1s.length];
}

function thresholds(P: M, Y: M, learn: boolean[], shrink: number): number[] {
	const L = learn.flatMap((l, t) => (l ? [t] : []));
	const g = bestThreshold(
		L.flatMap((t) => P.map((p) => p[t])),
		L.flatMap((t) => Y.map((y) => (y[t] ? 1 : -1)))
	).threshold;
	return learn.map((l, t) => {
		if (!l) return 0.5;
		const pos = Y.reduce((s, y) => s + y[t], 0);
		const b = bestThreshold(
			P.map((p) => p[t]),
			Y.map((y) => (y[t] ? 1 : -1))
		).threshold;
		return (pos * b + shrink * g) / (pos + shrink);
	});
}

function floorOf(P: M, Y: M, th: number[], src: string[]): number | null {
	let best = score(decide(P, th, src, null), Y)[0];
	let bf: number | null = null;
	for (const f of [0.5, 0.4, 0.3, 0.25, 0.2, 0.15, 0.1, 0.05, 0.02]) {
		const m = score(decide(P, th, src, f), Y)[0];
		if (m > best + 1e-9) [best, bf] = [m, f];
	}
	return bf;
}

const logit = (p: number) => {
	const q = Math.min(1 - 1e-4, Math.max(1e-4, p));
	return Math.log(q / (1 - q));
};
const feats = (p: number[], t: number, all: boolean) => (all ? [logit(p[t]), ...p, 1] : [logit(p[t]), 1]);

/** L2 logistic regression (bias unpenalised) by Newton's method. */
function logistic(X: M, y: number[], lambda: number): number[] {
	const d = X[0].length;
	const w = new Array<number>(d).fill(0);
	for (let it = 0; it < 8; it++) {
		const g = w.map((v, j) => (j < d - 1 ? lambda * v : 0));
		const H = Array.from({ length: d }, (_, j) =>
			Array.from({ length: d }, (_, k) => (j === k ? (j < d - 1 ? lambda : 1e-6) : 0))
		);
		X.forEach((x, i) => {
			let z = 0;
			for (let j = 0; j < d; j++) z += w[j] * x[j];
			const q = 1 / (1 + Math.exp(-z));
			const r = q * (1 - q);
			for (let j = 0; j < d; j++) {
				g[j] += (q - y[i]) * x[j];
				const rx = r * x[j];
				for (let k = 0; k <= j; k++) H[j][k] += rx * x[k];
			}
		});
		for (let j = 0; j < d; j++) for (let k = j + 1; k < d; k++) H[j][k] = H[k][j];
		const step = solve(H, g);
		for (let j = 0; j < d; j++) w[j] -= step[j];
	}
	return w;
}

function solve(A: M, b: number[]): number[] {
	const n = b.length;
	const a = A.map((r, i) => [...r, b[i]]);
	for (let c = 0; c < n; c++) {
		let p = c;
		for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
		[a[c], a[p]] = [a[p], a[c]];
		for (let r = c + 1; r < n; r++) {
			const f = a[r][c] / a[c][c];
			for (let k = c; k <= n; k++) a[r][k] -= f * a[c][k];
		}
	}
	const x = new Array<number>(n).fill(0);
	for (let r = n - 1; r >= 0; r--) {
		let s = a[r][n];
		for (let k = r + 1; k < n; k++) s -= a[r][k] * x[k];
		x[r] = s / a[r][r];
	}
	return x;
}

function stack(Ptr: M, Ytr: M, Pte: M, learn: boolean[], all: boolean, lambda: number): [M, M] {
	const n = Ptr.length;
	const fold = shuffle(
		Array.from({ length: n }, (_, i) => i % 5),
		rng(7)
	);
	const oof = Ptr.map((p) => p.map(() => 0));
	const out = Pte.map((p) => p.map(() => 0));
	const sig = (w: number[], x: number[]) => 1 / (1 + Math.exp(-x.reduce((s, v, j) => s + v * w[j], 0)));
	learn.forEach((l, t) => {
		if (!l) return;
		const X = Ptr.map((p) => feats(p, t, all));
		const y = Ytr.map((r) => r[t]);
		for (let f = 0; f < 5; f++) {
			const tr = X.flatMap((_, i) => (fold[i] !== f ? [i] : []));
			const w = logistic(
				tr.map((i) => X[i]),
				tr.map((i) => y[i]),
				lambda
			);
			X.forEach((x, i) => fold[i] === f && (oof[i][t] = sig(w, x)));
		}
		const w = logistic(X, y, lambda);
		Pte.forEach((p, i) => (out[i][t] = sig(w, feats(p, t, all))));
	});
	return [oof, out];
}

const dir = process.argv[2];
if (!dir) throw new Error('usage: themes-rules.ts DIR [options JSON]');
fs.mkdirSync(dir, { recursive: true });
const opts = process.argv[3] ?? '{}';
const results = new Map<string, [number, number][]>();
for (const h of [0, 1]) {
	const d = dumpFor(dir, h, opts);
	const ids = d.themes.map((t) => t.id);
	const src = d.themes.map((t) => t.source);
	const learn = src.map((s) => s === 'learned');
	const [Ptr, Ytr, Pte, Yte] = [d.train.probs, labels(d.train.gold, ids), d.held.probs, labels(d.held.gold, ids)];
	const r: Record<string, [number, number]> = {};
	r['engine as trained'] = score(
		decide(
			Pte,
			d.themes.map((t) => t.threshold),
			src,
			d.topFloor
		),
		Yte
	);
	for (const sh of [10, 3, 30]) {
		const th = thresholds(Ptr, Ytr, learn, sh);
		r[`thresholds, shrinkage ${sh}`] = score(decide(Pte, th, src, floorOf(Ptr, Ytr, th, src)), Yte);
		if (sh === 10) r['always the top theme'] = score(decide(Pte, th, src, 0), Yte);
	}
	for (const [all, lambda] of [
		[false, 10],
		[true, 1],
		[true, 10]
	] as const) {
		const [oof, out] = stack(Ptr, Ytr, Pte, learn, all, lambda);
		const th = thresholds(oof, Ytr, learn, 10);
		r[`stacking (${all ? 'all themes' : 'own only'}, λ ${lambda})`] = score(
			decide(out, th, src, floorOf(oof, Ytr, th, src)),
			Yte
		);
	}
	for (const [k, v] of Object.entries(r)) {
		console.log(`hold-out ${h} ${k}: micro ${v[0].toFixed(3)} macro ${v[1].toFixed(3)}`);
		results.set(k, [...(results.get(k) ?? []), v]);
	}
}
for (const [k, v] of results)
	console.log(`MEAN ${k}: micro ${((v[0][0] + v[1][0]) / 2).toFixed(3)} macro ${((v[0][1] + v[1][1]) / 2).toFixed(3)}`);
