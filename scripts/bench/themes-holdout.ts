// Choosing the theme engine's options on the NHS training file only (never test.csv / gold.csv):
//   npx tsx scripts/bench/themes-holdout.ts '{"blend":0}' '{"blend":0.5}' ...
// Each argument is a JSON TrainOptions object; each is trained on 4/5 of train.csv and scored on the
// other 1/5, for two such hold-outs (split by a hash of the id), and prints micro / macro F1 per
// hold-out, their mean and the training time. THEMES_HOLDOUTS (default 2) sets how many hold-outs.
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

async function main() {
	const nhs = loadNhsTraining();
	if (!nhs) throw new Error('NHS data not found');
	const configs = process.argv.slice(2).map((s) => JSON.parse(s) as TrainOptions);
	if (!configs.length) configs.push({});
	const holdouts = Number(process.env.THEMES_HOLDOUTS ?? 2);
	for (const options of configs) {
		const res: ReturnType<typeof scoreOn>[] = [];
		for (let h = 0; h < holdouts; h++) {
			const coded = nhs.train.filter((a) => fifthOf(a.id) !== h);
			const heldOut = nhs.train.filter((a) => fifthOf(a.id) === h);
			const r = scoreOn(nhs.codebook, coded, heldOut, options);
			res.push(r);
			console.log(
				`${JSON.stringify(options)} hold-out ${h}: micro ${r.micro.toFixed(3)} macro ${r.macro.toFixed(3)} (train ${(r.trainMs / 1000).toFixed(1)} s wall, ${(r.trainCpuMs / 1000).toFixed(1)} s CPU, load ${os.loadavg()[0].toFixed(1)})`
			);
		}
		const mean = (k: 'micro' | 'macro' | 'trainMs' | 'trainCpuMs') => res.reduce((a, r) => a + r[k], 0) / res.length;
		console.log(
			`${JSON.stringify(options)} MEAN micro ${mean('micro').toFixed(3)} macro ${mean('macro').toFixed(3)} train ${(mean('trainMs') / 1000).toFixed(1)} s wall, ${(mean('trainCpuMs') / 1000).toFixed(1)} s CPU`
		);
	}
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await main();
