/**
 * A V8 CPU profile (.cpuprofile, from profile-views.ts PROFILE_OUT or node --cpu-prof) summed by self time: the top
 * functions (name, file:line) and the total per file, each in ms and as a share of the sampled time. Files are
 * shown relative to the repository; node's own and other packages' under their package name.
 *   npx tsx scripts/bench/lib/cpuprofile-top.ts f.cpuprofile [top functions = 15] [top files = 15]
 */
import fs from 'node:fs';

type Node = {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
	children?: number[];
};
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] };

const [file, topArg = '15', filesArg = '15'] = process.argv.slice(2);
if (!file) throw new Error('usage: cpuprofile-top.ts f.cpuprofile [top] [files]');
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, Node>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n);

/** A function's name; an arrow function (tsx keeps no name, and may put a file on one line) by its named caller. */
function nameOf(node: Node): string {
	if (node.callFrame.functionName) return node.callFrame.functionName;
	for (let p = parent.get(node.id); p; p = parent.get(p.id))
		if (p.callFrame.functionName) return `(anonymous, in ${p.callFrame.functionName})`;
	return '(anonymous)';
}

/** A script's url made short: the repository's own files by path, packages by name. */
function shortFile(url: string): string {
	if (!url) return '(native / V8)';
	const path = url.replace(/^file:\/\//, '');
	const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
	if (pkg) return `pkg:${pkg[1]}`;
	const repo = /\/(src|scripts|tests)\/(.*)$/.exec(path);
	return repo ? `${repo[1]}/${repo[2]}` : path;
}

const fns = new Map<string, number>();
const files = new Map<string, number>();
let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
	// Each sample's time is the delta to the next one (the first's own delta is from the start).
	const us = profile.timeDeltas[i + 1] ?? 0;
	const node = byId.get(profile.samples[i]);
	if (!node) continue;
	total += us;
	const f = node.callFrame;
	const where = shortFile(f.url);
	const key = `${nameOf(node)} ${where}${f.url ? `:${f.lineNumber + 1}:${f.columnNumber + 1}` : ''}`;
	fns.set(key, (fns.get(key) ?? 0) + us);
	files.set(where, (files.get(where) ?? 0) + us);
}
const row = ([k, us]: [string, number]) =>
	`| ${(us / 1000).toFixed(0).padStart(6)} | ${((100 * us) / total).toFixed(1).padStart(5)}% | ${k} |`;
console.log(`sampled ${(total / 1000).toFixed(0)} ms`);
console.log('| self ms | share | function |');
for (const e of [...fns].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg))) console.log(row(e));
console.log('| self ms | share | file |');
for (const e of [...files].sort((a, b) => b[1] - a[1]).slice(0, Number(filesArg))) console.log(row(e));
