// npm run bench [-- NAME ...]: runs every scripts/bench/*.bench.ts (or those
// whose name contains one of the given words) and prints the figures measured.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
// Words name sections; --flags (and the value after each) are left to the sections (analysis: --answers N ...).
const args = process.argv.slice(2);
const filters = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--')));
const order = [
	'foundation',
	'survey',
	'instances',
	'entry',
	'themes',
	'analysis',
	'results',
	'safeguarding',
	'durability',
	'web'
];
const files = fs
	.readdirSync(here)
	.filter((f) => f.endsWith('.bench.ts'))
	.filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
	.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));

function rank(file: string): number {
	const i = order.findIndex((name) => file.startsWith(name));
	return i === -1 ? order.length : i;
}

let failed = 0;
for (const file of files) {
	const name = file.replace(/\.bench\.ts$/, '');
	console.log(`\n== ${name} ==`);
	const started = performance.now();
	try {
		const mod = (await import(pathToFileURL(path.join(here, file)).href)) as {
			run: (log: (line: string) => void) => Promise<void>;
		};
		await mod.run((line) => console.log(`  ${line}`));
	} catch (error) {
		failed++;
		console.log(`  FAILED: ${error instanceof Error ? error.message : String(error)}`);
	}
	console.log(`  (${name} took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
process.exitCode = failed ? 1 : 0;
