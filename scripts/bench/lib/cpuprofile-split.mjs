/**
 * A CPU profile (vitest-worker-profile.mjs, node --cpu-prof) split into test side and app side: each sample goes to the
 * test's attackers and solvers if any frame on its stack is in them, else to the first frame (leaf upwards) whose file
 * names a category (fixtures and helpers, the protection, the view, the analysis readers, other app code, the SQL
 * driver and query building, module loading), else garbage collection, (program) or native.
 *   node scripts/bench/lib/cpuprofile-split.mjs f.cpuprofile
 */
import fs from 'node:fs';
const p = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const cat = (url, fn) => {
	if (fn === '(idle)') return 'idle';
	if (fn === '(garbage collector)') return 'gc';
	if (
		/tests\/helpers\/(disclosure-attack|disclosure-families|unfiltered-pairs|disclosure-seed)|tests\/helpers\/demo-like/.test(
			url
		)
	)
		return 'test: attackers/solvers';
	if (/tests\/(helpers|fixtures)\//.test(url) || /scripts\/generate-answers/.test(url)) return 'test: fixtures/helpers';
	if (/\/tests\/[^/]+\.test\.ts/.test(url)) return 'test: file body';
	if (
		/src\/lib\/analysis\/(suppress|margin-floors|not-asked|siblings|page-hides|cross-bounds|decided|dated-week)/.test(
			url
		)
	)
		return 'app: disclosure protection';
	if (/src\/lib\/server\/analysis\/(wider|dashboard)/.test(url)) return 'app: view + protection (dashboard/wider)';
	if (/src\/lib\/server\/analysis\/(aggregates|queries|set-family|scope|cache)/.test(url))
		return 'app: analysis readers';
	if (/src\//.test(url)) return 'app: other src';
	if (/kysely|node_modules\/pg|pg-protocol|pg-pool|better-sqlite3/.test(url)) return 'SQL: driver + query building';
	if (/vite|rolldown|typescript|acorn|esm|cjs|vitest|modules/.test(url)) return 'startup: transform/import';
	return null;
};
const memo = new Map();
const classify = (id) => {
	if (memo.has(id)) return memo.get(id);
	const n = byId.get(id);
	// attackers first: any frame on the stack in the attack code makes it test-side
	let c = null;
	for (let x = id; x != null; x = parent.get(x)) {
		const m = byId.get(x);
		const k = cat(m.callFrame.url, m.callFrame.functionName);
		if (k && k.startsWith('test: attackers')) {
			c = k;
			break;
		}
	}
	if (!c)
		for (let x = id; x != null; x = parent.get(x)) {
			const m = byId.get(x);
			const k = cat(m.callFrame.url, m.callFrame.functionName);
			if (k) {
				c = k;
				break;
			}
		}
	c ??= n.callFrame.functionName === '(program)' ? 'program' : 'native/other';
	memo.set(id, c);
	return c;
};
const tot = new Map();
let all = 0;
for (let i = 0; i < p.samples.length; i++) {
	const d = p.timeDeltas[i] / 1000;
	all += d;
	const c = classify(p.samples[i]);
	tot.set(c, (tot.get(c) ?? 0) + d);
}
const busy = all - (tot.get('idle') ?? 0);
console.log(`sampled ${(all / 1000).toFixed(1)} s, busy ${(busy / 1000).toFixed(1)} s`);
for (const [k, v] of [...tot].sort((a, b) => b[1] - a[1]))
	if (k !== 'idle')
		console.log(`${(v / 1000).toFixed(1).padStart(7)} s ${((100 * v) / busy).toFixed(1).padStart(5)}%  ${k}`);
