import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runThemesCli } from '../themes';
import {
	codeAnswers,
	parseCodebook,
	parseCodedCsv,
	parseAnswersCsv,
	trainCoder,
	type Answer
} from '../../src/lib/themes/index';
import { rng } from '../../src/lib/themes/linear';
import { codeAnswersParallel, defaultWorkers } from '../../src/lib/themes/parallel';

/** Prefixes for the self-description invariance check (how respondents introduce themselves). */
const SELF_DESCRIPTIONS = [
	'As a parent, ',
	"I'm a mum of two and ",
	'Speaking as a youth worker, ',
	'As a foster carer, ',
	'As a teacher, '
];

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Theme engine: micro/macro F1 on the NHS split (through the CLI's own eval code path), training
 * time, coding throughput on 100,000 generated answers (in one thread with `codeAnswers`, and over
 * worker threads with `codeAnswersParallel`, checked identical), peak RSS, and self-description
 * invariance (share of answers whose themes change when prefixed with "As a parent, " and four
 * other self-descriptions, same model).
 */
export async function run(log: (line: string) => void): Promise<void> {
	const data = path.resolve(repoRoot, '../shared/data/nhs-feedback');
	const fx = path.join(repoRoot, 'tests/fixtures/themes');
	let codebookFile = path.join(fx, 'codebook.json');
	let trainFile = path.join(fx, 'coded.csv');
	let textsFile = path.join(fx, 'answers.csv');

	if (fs.existsSync(path.join(data, 'train.csv'))) {
		const f = (n: string) => path.join(data, n);
		const lines: string[] = [];
		const started = performance.now();
		const code = runThemesCli(
			[
				'eval',
				'--codebook',
				f('codebook.json'),
				'--train',
				f('train.csv'),
				'--test',
				f('test.csv'),
				'--gold',
				f('gold.csv')
			],
			(l) => lines.push(...l.split('\n')),
			(l) => log(`eval error: ${l}`)
		);
		if (code !== 0) throw new Error(`themes eval exited ${code}`);
		log(lines[0]); // "trained on N answers in X s; ..."
		log(lines.at(-2)!);
		log(`NHS split: ${lines.at(-1)}  (reference TF-IDF + linear SVM: microF1=0.687 macroF1=0.438)`);
		log(`eval command total: ${((performance.now() - started) / 1000).toFixed(1)} s`);
		codebookFile = f('codebook.json');
		trainFile = f('train.csv');
		textsFile = f('test.csv');
	} else {
		log(`NHS data not found at ${data}: skipping the F1 measurement; throughput uses the test fixtures`);
	}

	// Throughput: train once, then code 100,000 answers recombined from real answer texts.
	const codebook = parseCodebook(fs.readFileSync(codebookFile, 'utf8'));
	const coded = parseCodedCsv(fs.readFileSync(trainFile, 'utf8'), trainFile, new Set(codebook.themes.map((t) => t.id)));
	const t0 = performance.now();
	const coder = trainCoder(codebook, coded);
	log(
		`training time, ${coded.length} answers (incl. ${coder.model.options.folds}-fold CV): ${((performance.now() - t0) / 1000).toFixed(1)} s; model JSON ${(JSON.stringify(coder.model).length / 1e6).toFixed(1)} MB`
	);
	const texts = parseAnswersCsv(fs.readFileSync(textsFile, 'utf8'), textsFile).map((a) => a.text);

	// Self-description invariance: the same answers, prefixed with how a respondent describes
	// themselves, coded again with the same model. Themes should not change (target ≤ 1%).
	const plain = codeAnswers(
		coder,
		texts.map((text, i) => ({ id: String(i), text }))
	);
	const key = (r: { themes: { id: string }[] }) =>
		r.themes
			.map((t) => t.id)
			.sort()
			.join(';');
	let changed = 0;
	let total = 0;
	for (const prefix of SELF_DESCRIPTIONS) {
		const prefixed = codeAnswers(
			coder,
			texts.map((text, i) => ({ id: String(i), text: prefix + text }))
		);
		const n = prefixed.filter((r, i) => key(r) !== key(plain[i])).length;
		changed += n;
		total += texts.length;
		log(
			`self-description "${prefix.trim()}": themes changed on ${n} of ${texts.length} answers (${((100 * n) / texts.length).toFixed(2)}%)`
		);
	}
	log(
		`self-description invariance: ${changed} of ${total} prefixed answers changed themes = ${((100 * changed) / total).toFixed(2)}% (target ≤ 1%)`
	);
	const rand = rng(2017);
	const answers: Answer[] = [];
	for (let i = 0; i < 100_000; i++) {
		const a = texts[Math.floor(rand() * texts.length)];
		const b = rand() < 0.5 ? ' ' + texts[Math.floor(rand() * texts.length)] : '';
		answers.push({ id: String(i), text: a + b });
	}
	const words = answers.reduce((s, a) => s + a.text.split(/\s+/).length, 0) / answers.length;
	const cpu0 = process.cpuUsage();
	const t1 = performance.now();
	const results = codeAnswers(coder, answers);
	const secs = (performance.now() - t1) / 1000;
	const cpu = process.cpuUsage(cpu0);
	const cpuSecs = (cpu.user + cpu.system) / 1e6;
	const other = results.filter((r) => r.themes.length === 0).length;
	const load = () => `load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`;
	log(
		`sequential: coded ${answers.length.toLocaleString('en-GB')} answers (avg ${words.toFixed(0)} words) in ${secs.toFixed(1)} s = ${Math.round(answers.length / secs).toLocaleString('en-GB')} answers/s (${other} other); target ≤ 20 s`
	);
	log(`  CPU time: ${cpuSecs.toFixed(1)} s (one thread); ${load()}`);

	// The same batch over worker threads (this thread codes too); must give identical results.
	const threads = defaultWorkers();
	const cpu1 = process.cpuUsage();
	const t2 = performance.now();
	const parallel = await codeAnswersParallel(coder, answers, { workers: threads });
	const psecs = (performance.now() - t2) / 1000;
	const pcpu = process.cpuUsage(cpu1);
	const identical = JSON.stringify(parallel) === JSON.stringify(results);
	log(
		`parallel (${threads} threads, incl. ~1 s to start each worker): ${psecs.toFixed(1)} s = ${Math.round(answers.length / psecs).toLocaleString('en-GB')} answers/s; results ${identical ? 'identical to sequential' : 'DIFFERENT from sequential'}`
	);
	log(`  CPU time, all threads: ${((pcpu.user + pcpu.system) / 1e6).toFixed(1)} s; ${load()}`);
	if (!identical) throw new Error('parallel coding differs from sequential coding');
	log(
		`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (target < 1024 MB; includes the eval run, both result sets and the workers)`
	);
}
