// Safeguarding screen on the command line (see docs/safeguarding-and-privacy.md):
//   safeguarding screen --in ANSWERS.csv --out FLAGS.csv
// ANSWERS.csv: id,text (RFC 4180, read exactly as the themes CLI reads it). FLAGS.csv: id,level,score,categories
// for every input row, in input order (level urgent, review or empty; score 0..1; categories joined by ';').
// Bad input: "error: FILE:LINE: problem" on stderr, exit code 2, and no output file (written to a temporary
// file and renamed only once complete).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import Papa from 'papaparse';
import { CsvError, parseAnswersCsv } from '../src/lib/themes/csv';
import { screenAnswer } from '../src/lib/safeguarding/index';
import { InputError, readText, writeAtomically } from './lib/cli-files';

const USAGE = 'usage: safeguarding screen --in ANSWERS.csv --out FLAGS.csv';

class UsageError extends Error {}

/** FLAGS.csv text: id,level,score,categories; CRLF line ends, quoted where needed (as the themes CLI writes). */
export function formatFlagsCsv(rows: { id: string; level: string; score: number; categories: string[] }[]): string {
	return (
		Papa.unparse(
			{
				fields: ['id', 'level', 'score', 'categories'],
				data: rows.map((r) => [r.id, r.level, r.score.toFixed(4), r.categories.join(';')])
			},
			{ newline: '\r\n' }
		) + '\r\n'
	);
}

function main(argv: string[], print: (line: string) => void): number {
	const [command, ...rest] = argv;
	if (!command || command === '--help' || command === '-h') throw new UsageError(command ? 'help' : 'missing command');
	if (command !== 'screen') throw new UsageError(`unknown command "${command}"`);
	let values: { in?: string; out?: string };
	try {
		({ values } = parseArgs({
			args: rest,
			options: { in: { type: 'string' }, out: { type: 'string' } },
			strict: true,
			allowPositionals: false
		}));
	} catch (e) {
		throw new UsageError((e as Error).message);
	}
	if (!values.in) throw new UsageError('missing --in');
	if (!values.out) throw new UsageError('missing --out');
	const answers = parseAnswersCsv(readText(values.in), values.in);
	const rows = answers.map((a) => {
		const r = screenAnswer(a.text);
		return { id: a.id, level: r.level ?? '', score: r.score, categories: r.categories };
	});
	writeAtomically(values.out, formatFlagsCsv(rows));
	const urgent = rows.filter((r) => r.level === 'urgent').length;
	const review = rows.filter((r) => r.level === 'review').length;
	print(`screened ${rows.length} answers: ${urgent} urgent, ${review} review → ${values.out}`);
	return 0;
}

/** Run the CLI with `argv` (without "node script"). Returns the exit code (0 ok, 2 bad input or usage, 1 unexpected). */
export function runSafeguardingCli(
	argv: string[],
	print: (line: string) => void = (l) => console.error(l),
	printError: (line: string) => void = (l) => console.error(l)
): number {
	try {
		return main(argv, print);
	} catch (e) {
		if (e instanceof UsageError) {
			printError(e.message === 'help' ? USAGE : `error: ${e.message}\n${USAGE}`);
			return e.message === 'help' ? 0 : 2;
		}
		if (e instanceof CsvError) {
			// CsvError without a line (none today) still names the file: FILE:LINE is the contract.
			printError(`error: ${e.line === null ? `${e.file}:1: ${e.problem}` : e.message}`);
			return 2;
		}
		if (e instanceof InputError) {
			printError(`error: ${e.message}`);
			return 2;
		}
		printError(e instanceof Error ? (e.stack ?? e.message) : String(e));
		return 1;
	}
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
	process.exitCode = runSafeguardingCli(process.argv.slice(2));
}
