/**
 * Tokenising and normalising answers for the safeguarding screen.
 * Pure functions with small caches; no I/O.
 */
import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import { FUZZY_EXCEPTIONS } from './fuzzy-exceptions';
import { FUZZY_TARGETS, MISSPELLINGS, NEVER_CORRECT } from './lexicon';

export interface Token {
	/** Stemmed, normalised form used for matching ("," and "." mark boundaries). */
	stem: string;
	/** Offsets of the source word in the original text. */
	start: number;
	end: number;
}

/** Porter would merge these with other words ("used" -> "us", "was" -> "wa"); keep them as they are. */
const STEM_EXCEPTIONS: Record<string, string> = {
	used: 'used',
	us: 'us',
	is: 'is',
	was: 'was',
	has: 'has',
	his: 'his',
	this: 'this',
	does: 'does',
	dying: 'die',
	died: 'die',
	dies: 'die',
	noone: 'noone',
	nobody: 'nobody',
	myself: 'myself',
	lying: 'lie',
	lies: 'lie',
	sexually: 'sexual'
};

const stemCache = new Map<string, string>();

export function stemWord(word: string): string {
	let s = stemCache.get(word);
	if (s !== undefined) return s;
	s = STEM_EXCEPTIONS[word] ?? (/^\d+$/.test(word) ? word : PorterStemmer.stem(word));
	if (stemCache.size > 100_000) stemCache.clear();
	stemCache.set(word, s);
	return s;
}

/** Damerau-Levenshtein (optimal string alignment) distance, giving up above `max`. */
export function editDistance(a: string, b: string, max: number): number {
	if (Math.abs(a.length - b.length) > max) return max + 1;
	const n = a.length;
	const m = b.length;
	let prev2 = new Array<number>(m + 1).fill(0);
	let prev = Array.from({ length: m + 1 }, (_, j) => j);
	let cur = new Array<number>(m + 1).fill(0);
	for (let i = 1; i <= n; i++) {
		cur[0] = i;
		let rowMin = cur[0];
		for (let j = 1; j <= m; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
			cur[j] = v;
			if (v < rowMin) rowMin = v;
		}
		if (rowMin > max) return max + 1;
		[prev2, prev, cur] = [prev, cur, prev2];
	}
	return prev[m];
}

let knownWords: Set<string> | null = null;
/** Lexicon words of 6+ letters, by first letter: further fuzzy targets at distance 1. */
let vocabTargets = new Map<string, string[]>();
/** Words the lexicon uses; set by the screen when it compiles (these are never fuzzily corrected). */
export function setKnownWords(words: Iterable<string>): void {
	knownWords = new Set(words);
	vocabTargets = new Map();
	for (const w of knownWords) {
		if (w.length < 6 || !/^[a-z]+$/.test(w)) continue;
		const list = vocabTargets.get(w[0]) ?? [];
		list.push(w);
		vocabTargets.set(w[0], list);
	}
	for (const list of vocabTargets.values()) list.sort();
	fuzzyCache.clear();
}

const fuzzyCache = new Map<string, string>();

/** Correct a likely misspelling of one of the FUZZY_TARGETS words; otherwise return the word unchanged. */
export function correctSpelling(word: string): string {
	if (word.length < 5 || NEVER_CORRECT.has(word) || FUZZY_EXCEPTIONS.has(word) || knownWords?.has(word) || /\d/.test(word)) return word;
	const cached = fuzzyCache.get(word);
	if (cached !== undefined) return cached;
	let best = word;
	let bestD = Infinity;
	for (const target of FUZZY_TARGETS) {
		if (target[0] !== word[0]) continue;
		const max = target.length >= 8 ? 2 : 1;
		const d = editDistance(word, target, max);
		if (d <= max && d < bestD && d > 0) {
			best = target;
			bestD = d;
		}
	}
	// Any other lexicon word of 6+ letters at distance 1 ("cupbord" -> "cupboard", "bruses" -> "bruises").
	if (bestD > 1 && word.length >= 5) {
		for (const target of vocabTargets.get(word[0]) ?? []) {
			if (editDistance(word, target, 1) === 1) {
				best = target;
				bestD = 1;
				break;
			}
		}
	}
	if (fuzzyCache.size > 100_000) fuzzyCache.clear();
	fuzzyCache.set(word, best);
	return best;
}

const PRONOUN_IS = new Set(['it', 'he', 'she', 'there', 'that', 'what', 'who', 'where', 'here', 'how', 'everything', 'nobody', 'noone', 'someone']);
const HARM_AFTER_SELF = /^(harm|harms|harming|harmed|injur|hurt)/;

/** Split one raw (lower-cased) word into normalised words. */
function expandWord(w: string): string[] {
	w = w.replace(/’/g, "'");
	const apos = w.indexOf("'");
	if (apos > 0) {
		const base = w.slice(0, apos);
		const suffix = w.slice(apos + 1);
		if (suffix === 't' && base.endsWith('n')) {
			const b = base.slice(0, -1);
			const fixed = b === 'ca' ? 'can' : b === 'wo' ? 'will' : b === 'ai' ? 'is' : b === 'sha' ? 'shall' : b;
			return [...expandWord(fixed), 'not'];
		}
		if (suffix === 'm') return [base, 'am'];
		if (suffix === 're') return [base, 'are'];
		if (suffix === 've') return [base, 'have'];
		if (suffix === 'll') return [base, 'will'];
		if (suffix === 'd') return [base, 'would'];
		if (suffix === 's') return PRONOUN_IS.has(base) ? [base, 'is'] : expandWord(base);
		return expandWord(base + suffix);
	}
	const mapped = MISSPELLINGS[w];
	if (mapped !== undefined) return mapped.split(' ');
	let m = /^self(harm\w*|injur\w*|hurt\w*)$/.exec(w);
	if (m) return ['self', m[1]];
	m = /^([a-z]{3,})(myself|meself|mysef|myslef)$/.exec(w);
	if (m) return [...expandWord(m[1]), 'myself'];
	return [correctSpelling(w)];
}

/** "hell hurt" is "he'll hurt" typed without the apostrophe; only expanded before a verb-like word. */
const APOSTROPHE_LESS: Record<string, string[]> = { hell: ['he', 'will'], shell: ['she', 'will'], ill: ['i', 'will'], theyd: ['they', 'would'] };
const VERB_AFTER = new Set(
	'hurt kill hit beat be go get do come find take make send put know tell say see stab smash break leave lose never not always just really hate punch kick slap throw'.split(' ')
);

const MERGE_NEXT: Record<string, Set<string>> = {
	no: new Set(['one']),
	some: new Set(['one']),
	any: new Set(['more']),
	step: new Set(['dad', 'mum', 'mom', 'father', 'mother', 'brother', 'sister', 'son', 'daughter']),
	boy: new Set(['friend']),
	girl: new Set(['friend']),
	my: new Set(['self'])
};

const BOUNDARY = /^[.!?;\n]+$/;
const TOKEN_RE = /[A-Za-z0-9\u00C0-\u024F]+(?:['’][A-Za-z]+)*|[.!?;\n]+|,/g;

/** Tokenise text into normalised, stemmed tokens with offsets into the original. */
export function tokenise(text: string): Token[] {
	const words: { w: string; start: number; end: number }[] = [];
	TOKEN_RE.lastIndex = 0;
	let m: RegExpExecArray | null;
	while ((m = TOKEN_RE.exec(text)) !== null) {
		const raw = m[0];
		const start = m.index;
		const end = start + raw.length;
		if (raw === ',') {
			words.push({ w: ',', start, end });
			continue;
		}
		if (BOUNDARY.test(raw)) {
			words.push({ w: '.', start, end });
			continue;
		}
		for (const w of expandWord(raw.toLowerCase())) words.push({ w, start, end });
	}
	for (let i = 0; i < words.length - 1; i++) {
		const exp = APOSTROPHE_LESS[words[i].w];
		if (exp && VERB_AFTER.has(words[i + 1].w)) {
			const { start, end } = words[i];
			words.splice(i, 1, { w: exp[0], start, end }, { w: exp[1], start, end });
		}
	}
	const tokens: Token[] = [];
	for (let i = 0; i < words.length; i++) {
		const cur = words[i];
		const next = words[i + 1];
		let w = cur.w;
		let end = cur.end;
		if (next && MERGE_NEXT[w]?.has(next.w)) {
			// "my self harm" stays "my self harm"; "my self" on its own becomes "myself".
			const after = words[i + 2];
			if (!(w === 'my' && after && HARM_AFTER_SELF.test(after.w))) {
				w = w + next.w;
				end = next.end;
				i++;
			}
		}
		tokens.push({ stem: w === ',' || w === '.' ? w : stemWord(w), start: cur.start, end });
	}
	return tokens;
}
