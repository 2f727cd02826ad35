import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
	codeAnswers,
	evaluate,
	parseAnswersCsv,
	parseCodebook,
	parseCodedCsv,
	parseThemesCsv,
	trainCoder,
	type CodedAnswer,
	type TrainOptions
} from '../../src/lib/themes/index';
import { rng, shuffle } from '../../src/lib/themes/linear';
import { fifthOf } from './themes-holdout';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SIZES = (process.env.THEMES_CURVE_SIZES ?? '100,200,400,800').split(',').map(Number);

/**
 * Learning curves on the NHS split: micro-F1 on the test set after a person has coded 100 / 200 /
 * 400 / 800 training answers, chosen (a) in random order (mean of several seeds) and (b) by the
 * "code next" queue (simulated: 50 random answers to start, then repeatedly the queue's next
 * batch from the rest of the training file, their gold labels revealed, the coder retrained).
 * THEMES_CURVE_SEEDS (default 3) sets how many seeds each curve averages; THEMES_CURVE_SIZES the sizes.
 * THEMES_CURVE_HOLDOUT=1 measures on the training file only (for choosing queue settings): the pool is
 * 4/5 of train.csv and the score is on the other 1/5 (split by a hash of the id); the test file is
 * not read. QUEUE_SEEDING=kmeans++ picks the first 50 with the queue too (before anything is
 * learned) instead of at random; QUEUE_MEASURE, QUEUE_COVERAGE, QUEUE_UNEXPLAINED, QUEUE_DENSITY, QUEUE_EXPLORE and
 * QUEUE_AGG set the queue's options (`active.ts`). THEMES_TRAIN_OPTIONS (JSON TrainOptions, e.g. '{"vectors":1}')
 * trains every coder of both curves with those options instead of the defaults.
 */
export async function run(log: (line: string) => void): Promise<void> {
	const data = path.resolve(repoRoot, '../shared/data/nhs-feedback');
	if (!fs.existsSync(path.join(data, 'train.csv'))) {
		log(`NHS data not found at ${data}: skipping the learning curves`);
		return;
	}
	const f = (n: string) => path.join(data, n);
	const codebook = parseCodebook(fs.readFileSync(f('codebook.json'), 'utf8'));
	const ids = new Set(codebook.themes.map((t) => t.id));
	const allTrain = parseCodedCsv(fs.readFileSync(f('train.csv'), 'utf8'), f('train.csv'), ids);
	const holdout = process.env.THEMES_CURVE_HOLDOUT === '1';
	const train = holdout ? allTrain.filter((a) => fifthOf(a.id) !== 0) : allTrain;
	const heldOut = allTrain.filter((a) => fifthOf(a.id) === 0);
	const test = holdout
		? heldOut.map((a) => ({ id: a.id, text: a.text }))
		: parseAnswersCsv(fs.readFileSync(f('test.csv'), 'utf8'), f('test.csv'));
	const gold = holdout
		? heldOut.map((a) => ({ id: a.id, themes: a.themes }))
		: parseThemesCsv(fs.readFileSync(f('gold.csv'), 'utf8'), f('gold.csv'), ids);
	if (holdout) log('hold-out mode: pool 4/5 of train.csv, scored on the other 1/5 (test.csv not read)');
	const seeds = Number(process.env.THEMES_CURVE_SEEDS ?? 3);
	// Queue settings to compare (defaults: the app's).
	const queueOptions = {
		...(process.env.QUEUE_DENSITY ? { density: Number(process.env.QUEUE_DENSITY) } : {}),
		...(process.env.QUEUE_EXPLORE ? { explore: Number(process.env.QUEUE_EXPLORE) } : {}),
		...(process.env.QUEUE_AGG === 'max' ? { aggregate: 'max' as const } : {}),
		...(process.env.QUEUE_MEASURE === 'margin' ? { measure: 'margin' as const } : {}),
		...(process.env.QUEUE_COVERAGE ? { coverage: Number(process.env.QUEUE_COVERAGE) } : {}),
		...(process.env.QUEUE_UNEXPLAINED ? { unexplained: Number(process.env.QUEUE_UNEXPLAINED) } : {})
	};
	const seeding = process.env.QUEUE_SEEDING === 'kmeans++' ? ('kmeans++' as const) : null;
	if (seeding) log(`first 50 by the queue's ${seeding} seeding`);
	if (Object.keys(queueOptions).length) log(`queue options: ${JSON.stringify(queueOptions)}`);
	const trainOptions = JSON.parse(process.env.THEMES_TRAIN_OPTIONS ?? '{}') as TrainOptions;
	if (Object.keys(trainOptions).length) log(`training options: ${JSON.stringify(trainOptions)}`);
	const score = (coded: CodedAnswer[]) => {
		const coder = trainCoder(codebook, coded, trainOptions);
		const pred = codeAnswers(coder, test).map((r) => ({ id: r.id, themes: r.themes.map((t) => t.id) }));
		return evaluate(pred, gold, { themeIds: codebook.themes.map((t) => t.id) }).micro.f1;
	};
	const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
	const fmt = (xs: number[]) => `${mean(xs).toFixed(3)} (${xs.map((x) => x.toFixed(3)).join(', ')})`;
	const started = performance.now();

	const random: number[][] = SIZES.map(() => []);
	const queue: number[][] = SIZES.map(() => []);
	for (let s = 1; s <= seeds; s++) {
		if (process.env.THEMES_CURVE_RANDOM === '0') SIZES.forEach((_, k) => random[k].push(NaN));
		const order = shuffle([...train], rng(1000 + s));
		if (process.env.THEMES_CURVE_RANDOM !== '0') SIZES.forEach((n, k) => random[k].push(score(order.slice(0, n))));

		// Queue: 50 random answers, then the queue's batches (25 up to 200, 50 up to 400, 100 after).
		let coded = order.slice(0, 50);
		let pool = order.slice(50);
		if (seeding) {
			const first = new Set(trainCoder(codebook, []).codeNext(order, { seeding, limit: 50 }));
			coded = order.filter((a) => first.has(a.id));
			pool = order.filter((a) => !first.has(a.id));
		}
		for (const target of SIZES) {
			while (coded.length < target) {
				const batch = coded.length < 200 ? 25 : coded.length < 400 ? 50 : 100;
				const coder = trainCoder(codebook, coded, trainOptions);
				const take = Math.min(batch, target - coded.length);
				const codedTexts = queueOptions.coverage ? coded.map((a) => a.text) : undefined;
				const next = new Set(coder.codeNext(pool, { batch: take, limit: take, codedTexts, ...queueOptions }));
				coded = [...coded, ...pool.filter((a) => next.has(a.id))];
				pool = pool.filter((a) => !next.has(a.id));
			}
			queue[SIZES.indexOf(target)].push(score(coded));
		}
		log(
			`seed ${s}: random ${random.map((r) => r[s - 1].toFixed(3)).join(' / ')}; queue ${queue.map((r) => r[s - 1].toFixed(3)).join(' / ')}`
		);
	}
	SIZES.forEach((n, k) =>
		log(`${n} coded answers: random microF1 ${fmt(random[k])}; code-next queue ${fmt(queue[k])}`)
	);
	const at200 = SIZES.indexOf(200);
	if (at200 >= 0)
		log(
			`code-next queue at 200: ${mean(queue[at200]).toFixed(3)} (target ≥ 0.62); random at 200: ${mean(random[at200]).toFixed(3)}`
		);
	log(
		`learning curves took ${((performance.now() - started) / 1000).toFixed(0)} s; load average ${os.loadavg()[0].toFixed(1)}`
	);
}
