// Choosing the theme engine's options on the NHS training file only (never test.csv / gold.csv):
//   npx tsx scripts/bench/themes-holdout.ts '{"blend":0}' '{"blend":0.5}' ...
// Each argument is a JSON TrainOptions object; each is trained on 4/5 of train.csv and scored on the
// other 1/5, for two such hold-outs (split by a hash of the id), and prints micro / macro F1 per
// hold-out, their mean and the training time. THEMES_HOLDOUTS (default 2) sets how many hold-outs.
// THEMES_HOLDOUT_N=200 trains on that many answers drawn at random from the 4/5 instead (what an
// officer has coded after an afternoon), once per seed 1..THEMES_HOLDOUT_SEEDS (default 3).
// THEMES_HOLDOUT_SELFTRAIN=0.8 (an experiment, with THEMES_HOLDOUT_N): self-training, i.e. the
// coder trained on the N answers codes the rest of the 4/5 as if uncoded, and those it codes with
// every theme's confidence ≥ that or ≤ 0.1 (at most 4×N) are added with its themes before training again.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
	codeAnswers,
	evaluate,
	parseCodebook,
	parseCodedCsv,
	trainCoder,
	type CodedAnswer,
	type TrainOptions
} from '../../src/lib/themes/index';
import { rng, shuffle } from '../../src/lib/themes/linear';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** FNV-1a of the id, modulo 5: which fifth of the training file an answer is in. */
export function fifthOf(id: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < id.length; i++) {
		h ^= id.charCodeAt(i);
		h = Math.imul(h, 16777619);
	}
	return (h >>> 0) % 5;
}

/** The NHS codebook and training answers (null when the data is not there). */
export function loadNhsTraining() {
	const data = path.resolve(repoRoot, '../shared/data/nhs-feedback');
	if (!fs.existsSync(path.join(data, 'train.csv'))) return null;
	const f = (n: string) => path.join(data, n);
	const codebook = parseCodebook(fs.readFileSync(f('codebook.json'), 'utf8'));
	const ids = new Set(codebook.themes.map((t) => t.id));
	const train = parseCodedCsv(fs.readFileSync(f('train.csv'), 'utf8'), f('train.csv'), ids);
	return { codebook, train };
}

/** Micro / macro F1 of a coder trained on `coded` with `options`, scored on `heldOut`. */
export function scoreOn(
	codebook: ReturnType<typeof parseCodebook>,
	coded: CodedAnswer[],
	heldOut: CodedAnswer[],
	options: TrainOptions = {}
): { micro: number; macro: number; trainMs: number; trainCpuMs: number } {
	const started = performance.now();
	const cpu = process.cpuUsage();
	const coder = trainCoder(codebook, coded, options);
	const trainMs = performance.now() - started;
	const used = process.cpuUsage(cpu);
	const trainCpuMs = (used.user + used.system) / 1000;
	const pred = codeAnswers(coder, heldOut).map((r) => ({ id: r.id, themes: r.themes.map((t) => t.id) }));
	const e = evaluate(
		pred,
		heldOut.map((a) => ({ id: a.id, themes: a.themes })),
		{ themeIds: codebook.themes.map((t) => t.id) }
	);
	return { micro: e.micro.f1, macro: e.macroF1, trainMs, trainCpuMs };
}

function selfLabelled(
	nhs: NonNullable<ReturnType<typeof loadNhsTraining>>,
	coded: CodedAnswer[],
	h: number,
	tau: number,
	options: TrainOptions,
	max: number
): CodedAnswer[] {
	const coder = trainCoder(nhs.codebook, coded, options);
	const have = new Set(coded.map((a) => a.id));
	const pool = nhs.train.filter((a) => fifthOf(a.id) !== h && !have.has(a.id));
	const out: { a: CodedAnswer; sure: number }[] = [];
	for (const a of pool) {
		const p = coder.scores(a.text);
		const themes = coder.code(a.text).map((t) => t.id);
		if (!themes.length) continue;
		let sure = 1;
		let ok = true;
		coder.model.themes.forEach((th, t) => {
			if (th.source === 'none') return;
			const on = themes.includes(th.id);
			if (on && p[t] < tau) ok = false;
			if (!on && p[t] > 0.1) ok = false;
			sure = Math.min(sure, on ? p[t] : 1 - p[t]);
		});
		if (ok) out.push({ a: { id: a.id, text: a.text, themes }, sure });
	}
	out.sort((x, y) => y.sure - x.sure || (x.a.id < y.a.id ? -1 : 1));
	console.log(`  self-training: ${out.length} confident of ${pool.length}, taking ${Math.min(max, out.length)}`);
	return out.slice(0, max).map((x) => x.a);
}

async function main() {
	const nhs = loadNhsTraining();
	if (!nhs) throw new Error('NHS data not found');
	const configs = process.argv.slice(2).map((s) => JSON.parse(s) as TrainOptions);
	if (!configs.length) configs.push({});
	const holdouts = Number(process.env.THEMES_HOLDOUTS ?? 2);
	const n = Number(process.env.THEMES_HOLDOUT_N ?? 0);
	const seeds = n ? Number(process.env.THEMES_HOLDOUT_SEEDS ?? 3) : 1;
	for (const options of configs) {
		const res: ReturnType<typeof scoreOn>[] = [];
		for (let h = 0; h < holdouts; h++) {
			for (let s = 1; s <= seeds; s++) {
				let coded = nhs.train.filter((a) => fifthOf(a.id) !== h);
				if (n) coded = shuffle(coded, rng(1000 + s)).slice(0, n);
				const heldOut = nhs.train.filter((a) => fifthOf(a.id) === h);
				const tau = Number(process.env.THEMES_HOLDOUT_SELFTRAIN ?? 0);
				if (n && tau > 0) coded = [...coded, ...selfLabelled(nhs, coded, h, tau, options, 4 * n)];
				const r = scoreOn(nhs.codebook, coded, heldOut, options);
				res.push(r);
				console.log(
					`${JSON.stringify(options)} hold-out ${h}${n ? ` n=${n} seed ${s}` : ''}: micro ${r.micro.toFixed(3)} macro ${r.macro.toFixed(3)} (train ${(r.trainMs / 1000).toFixed(1)} s wall, ${(r.trainCpuMs / 1000).toFixed(1)} s CPU, load ${os.loadavg()[0].toFixed(1)})`
				);
			}
		}
		const mean = (k: 'micro' | 'macro' | 'trainMs' | 'trainCpuMs') => res.reduce((a, r) => a + r[k], 0) / res.length;
		console.log(
			`${JSON.stringify(options)} MEAN micro ${mean('micro').toFixed(3)} macro ${mean('macro').toFixed(3)} train ${(mean('trainMs') / 1000).toFixed(1)} s wall, ${(mean('trainCpuMs') / 1000).toFixed(1)} s CPU`
		);
	}
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await main();
