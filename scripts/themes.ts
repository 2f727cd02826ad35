// Theme coding CLI (see docs/theme-engine.md).
//   themes code     --codebook CODEBOOK.json [--train CODED.csv] --in ANSWERS.csv --out PREDICTED.csv [--workers N]
//   themes eval     --codebook CODEBOOK.json --train CODED.csv --test ANSWERS.csv --gold GOLD.csv
//   themes discover --in ANSWERS.csv [--codebook CODEBOOK.json]
// Bad input: message naming file, line and problem on stderr, exit code 2, no output file written.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import {
	CodebookError,
	CsvError,
	codeAnswers,
	discoverThemes,
	evaluate,
	formatEvaluation,
	formatThemesCsv,
	parseAnswersCsv,
	parseCodebook,
	parseCodedCsv,
	parseCsv,
	parseThemesCsv,
	trainCoder,
	type Codebook
} from '../src/lib/themes/index';
import { jsonErrorOffset, jsonLineOf } from '../src/lib/themes/jsonpos';
import { codeAnswersParallel } from '../src/lib/themes/parallel';
import { InputError, readText, writeAtomically } from './lib/cli-files';

const USAGE = [
	'usage: themes code --codebook CODEBOOK.json [--train CODED.csv] --in ANSWERS.csv --out PREDICTED.csv [--workers N]',
	'       themes eval --codebook CODEBOOK.json --train CODED.csv --test ANSWERS.csv --gold GOLD.csv',
	'       themes discover --in ANSWERS.csv [--codebook CODEBOOK.json]'
].join('\n');

class UsageError extends Error {}

function loadCodebook(file: string): Codebook {
	const text = readText(file);
	let value: unknown;
	try {
		value = JSON.parse(text.replace(/^\uFEFF/, ''));
	} catch (e) {
		const src = text.replace(/^\uFEFF/, '');
		const at = Math.max(0, jsonErrorOffset(src));
		const line = src.slice(0, at).split('\n').length;
		const near = src.slice(at, at + 20).split('\n')[0];
		throw new InputError(
			`${file}:${line}: bad JSON: ${at >= src.length ? 'unexpected end of file' : `unexpected "${near}"`} (${(e as Error).message.split('\n')[0]})`
		);
	}
	try {
		return parseCodebook(value);
	} catch (e) {
		if (e instanceof CodebookError && e.issues.length) {
			const first = e.issues[0];
			const line = jsonLineOf(text.replace(/^\uFEFF/, ''), first.path);
			const more =
				e.issues.length > 1 ? ` (and ${e.issues.length - 1} more problem${e.issues.length > 2 ? 's' : ''})` : '';
			throw new InputError(`${file}:${line}: invalid codebook: ${first.path || '(root)'}: ${first.message}${more}`);
		}
		throw new InputError(`${file}:1: invalid codebook: ${(e as Error).message}`);
	}
}

function required(values: Record<string, string | undefined>, names: string[]): void {
	for (const n of names) if (!values[n]) throw new UsageError(`missing --${n}`);
}

/**
 * `parallel`: whether `code` may spread big batches over worker threads (then it returns a
 * promise); the synchronous `runThemesCli` codes in this thread.
 */
function main(argv: string[], print: (line: string) => void, parallel = false): number | Promise<number> {
	const [command, ...rest] = argv;
	if (!command || command === '--help' || command === '-h') throw new UsageError(command ? 'help' : 'missing command');
	let values: Record<string, string | undefined>;
	try {
		({ values } = parseArgs({
			args: rest,
			options: {
				codebook: { type: 'string' },
				train: { type: 'string' },
				in: { type: 'string' },
				out: { type: 'string' },
				test: { type: 'string' },
				gold: { type: 'string' },
				workers: { type: 'string' }
			},
			strict: true,
			allowPositionals: false
		}) as { values: Record<string, string | undefined> });
	} catch (e) {
		throw new UsageError((e as Error).message);
	}

	if (command === 'code') {
		required(values, ['codebook', 'in', 'out']);
		const codebook = loadCodebook(values.codebook!);
		const known = new Set(codebook.themes.map((t) => t.id));
		const coded = values.train ? parseCodedCsv(readText(values.train), values.train, known) : [];
		const answers = parseAnswersCsv(readText(values.in!), values.in!);
		const workers = values.workers === undefined ? undefined : Number(values.workers);
		if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1))
			throw new UsageError('--workers must be a whole number ≥ 1');
		const coder = trainCoder(codebook, coded);
		const finish = (results: ReturnType<typeof codeAnswers>) => {
			writeAtomically(
				values.out!,
				formatThemesCsv(results.map((r) => ({ id: r.id, themes: r.themes.map((t) => t.id) })))
			);
			const other = results.filter((r) => r.themes.length === 0).length;
			console.error(`coded ${results.length} answers (${other} other) → ${values.out}`);
			return 0;
		};
		// --workers N (N > 1): big batches over N threads, identical results. Not the default: on the
		// shared 2-core machine the second core is rarely free and one thread was faster (docs).
		if (parallel && workers !== undefined && workers > 1)
			return codeAnswersParallel(coder, answers, { workers }).then(finish);
		return finish(codeAnswers(coder, answers));
	}
	if (command === 'eval') {
		required(values, ['codebook', 'train', 'test', 'gold']);
		const codebook = loadCodebook(values.codebook!);
		const known = new Set(codebook.themes.map((t) => t.id));
		const coded = parseCodedCsv(readText(values.train!), values.train!, known);
		const test = parseAnswersCsv(readText(values.test!), values.test!);
		const goldText = readText(values.gold!);
		const gold = parseThemesCsv(goldText, values.gold!, known);
		const testIds = new Set(test.map((a) => a.id));
		const missing = gold.findIndex((g) => !testIds.has(g.id));
		if (missing >= 0) {
			const line = lineOfId(goldText, values.gold!, gold[missing].id);
			throw new InputError(`${values.gold}:${line}: id "${gold[missing].id}" is not in ${values.test}`);
		}
		const goldIds = new Set(gold.map((g) => g.id));
		const started = performance.now();
		const coder = trainCoder(codebook, coded);
		const trainMs = performance.now() - started;
		const predicted = codeAnswers(
			coder,
			test.filter((a) => goldIds.has(a.id))
		).map((r) => ({ id: r.id, themes: r.themes.map((t) => t.id) }));
		const report = evaluate(predicted, gold, { themeIds: codebook.themes.map((t) => t.id) });
		print(
			`trained on ${coded.length} answers in ${(trainMs / 1000).toFixed(1)} s; evaluated on ${gold.length} answers`
		);
		print(formatEvaluation(report));
		return 0;
	}
	if (command === 'discover') {
		required(values, ['in']);
		const codebook = values.codebook ? loadCodebook(values.codebook) : undefined;
		const answers = parseAnswersCsv(readText(values.in!), values.in!);
		const candidates = discoverThemes(answers, { codebook });
		const pool = codebook ? `answers that fit no theme of ${values.codebook}` : 'all answers';
		print(
			`${candidates.length} candidate theme${candidates.length === 1 ? '' : 's'} from ${pool} (${answers.length} answers read)`
		);
		candidates.forEach((c, i) => {
			print(`\n${i + 1}. ${c.label} [${c.id}] — ${c.size} answers`);
			print(`   keywords: ${c.keywords.join(', ')}`);
			for (const ex of c.examples) print(`   e.g. "${ex.replace(/\s+/g, ' ').slice(0, 200)}"`);
		});
		return 0;
	}
	throw new UsageError(`unknown command "${command}"`);
}

function lineOfId(text: string, file: string, id: string): number | string {
	return parseCsv(text, file, ['id', 'themes']).find((r) => r.values.id.trim() === id)?.line ?? '?';
}

/**
 * Run the CLI with `argv` (without "node script"); normal output goes to `print` line by line,
 * problems to `printError`. Returns the exit code (0 ok, 2 bad input or usage, 1 unexpected).
 * The benchmark calls this directly so that it measures exactly the CLI's code path.
 */
export function runThemesCli(
	argv: string[],
	print: (line: string) => void = (l) => console.log(l),
	printError: (line: string) => void = (l) => console.error(l)
): number {
	try {
		return main(argv, print) as number;
	} catch (e) {
		return failure(e, printError);
	}
}

/** As `runThemesCli`, but `code` spreads big batches over worker threads (the command line uses this). */
export async function runThemesCliAsync(
	argv: string[],
	print: (line: string) => void = (l) => console.log(l),
	printError: (line: string) => void = (l) => console.error(l)
): Promise<number> {
	try {
		return await main(argv, print, true);
	} catch (e) {
		return failure(e, printError);
	}
}

function failure(e: unknown, printError: (line: string) => void): number {
	if (e instanceof UsageError) {
		printError(e.message === 'help' ? USAGE : `error: ${e.message}\n${USAGE}`);
		return e.message === 'help' ? 0 : 2;
	}
	if (e instanceof InputError || e instanceof CsvError) {
		printError(`error: ${e.message}`);
		return 2;
	}
	printError(e instanceof Error ? (e.stack ?? e.message) : String(e));
	return 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
	process.exitCode = await runThemesCliAsync(process.argv.slice(2));
}
