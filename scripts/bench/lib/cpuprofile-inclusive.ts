/**
 * A V8 CPU profile (.cpuprofile) summed by inclusive time: for each function (name and where it is defined), the
 * sampled time of every stack it is on (counted once per sample however deep it recurses), in ms and as a share of
 * the sampled time; the functions that take most, each with its self time beside it. Complements cpuprofile-top.ts
 * (self time only), where inlining and many small callees spread a caller's cost thin. For a bundle made with
 * `esbuild --sourcemap` (a `.map` beside the script), places are given in the original sources.
 *   npx tsx scripts/bench/lib/cpuprofile-inclusive.ts f.cpuprofile [top = 40] [filter: a substring of the place]
 */
import fs from 'node:fs';
import { SourceMapConsumer } from 'source-map-js';

type Node = {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
	children?: number[];
};
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] };

const [file, topArg = '40', filter = ''] = process.argv.slice(2);
if (!file) throw new Error('usage: cpuprofile-inclusive.ts f.cpuprofile [top] [filter]');
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, Node>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n);

const maps = new Map<string, SourceMapConsumer | null>();
function mapOf(url: string): SourceMapConsumer | null {
	if (!maps.has(url)) {
		const path = url.replace(/^file:\/\//, '');
		const mapPath = `${path}.map`;
		maps.set(url, fs.existsSync(mapPath) ? new SourceMapConsumer(JSON.parse(fs.readFileSync(mapPath, 'utf8'))) : null);
	}
	return maps.get(url)!;
}

/** A function's place: the original source and line where the bundle has a map, else the script's url. */
function placeOf(node: Node): string {
	const f = node.callFrame;
	if (!f.url) return '(native / V8)';
	const m = mapOf(f.url);
	if (m && f.lineNumber >= 0) {
		const o = m.originalPositionFor({ line: f.lineNumber + 1, column: f.columnNumber });
		if (o.source) return `${o.source.replace(/^(\.\.\/)+/, '')}:${o.line}`;
	}
	const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f.url);
	if (pkg) return `pkg:${pkg[1]}`;
	return `${f.url.replace(/^file:\/\//, '')}:${f.lineNumber + 1}`;
}

const keyOf = new Map<number, string>();
function key(node: Node): string {
	let k = keyOf.get(node.id);
	if (k === undefined) {
		k = `${node.callFrame.functionName || '(anonymous)'} ${placeOf(node)}`;
		keyOf.set(node.id, k);
	}
	return k;
}

const inclusive = new Map<string, number>();
const self = new Map<string, number>();
let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
	const us = profile.timeDeltas[i + 1] ?? 0;
	let node = byId.get(profile.samples[i]);
	if (!node) continue;
	total += us;
	const sk = key(node);
	self.set(sk, (self.get(sk) ?? 0) + us);
	const seen = new Set<string>();
	for (; node; node = parent.get(node.id)) {
		const k = key(node);
		if (seen.has(k)) continue;
		seen.add(k);
		inclusive.set(k, (inclusive.get(k) ?? 0) + us);
	}
}
console.log(`sampled ${(total / 1000).toFixed(0)} ms`);
console.log('| incl. ms | share | self ms | function |');
for (const [k, us] of [...inclusive]
	.filter(([k]) => k.includes(filter))
	.sort((a, b) => b[1] - a[1])
	.slice(0, Number(topArg)))
	console.log(
		`| ${(us / 1000).toFixed(0).padStart(8)} | ${((100 * us) / total).toFixed(1).padStart(5)}% | ${((self.get(k) ?? 0) / 1000).toFixed(0).padStart(7)} | ${k} |`
	);
