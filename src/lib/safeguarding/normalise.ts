/**
 * Tokenising and normalising answers for the safeguarding screen.
 * Pure functions with small caches; no I/O.
 */
// natural through the one doorway that loads only the modules used (see themes/natural.ts for why).
import { Metaphone, PorterStemmer } from '../themes/natural';
import { FUZZY_EXCEPTIONS } from './fuzzy-exceptions';
import { FUZZY_TARGETS, MISSPELLINGS, NEVER_CORRECT } from './lexicon';

export interface Token {
	/** Stemmed, normalised form used for matching ("," and "." mark boundaries). */
	stem: string;
	/** The normalised word before stemming (spelling corrected, contractions expanded): what word vectors read. */
	word: string;
	/** Offsets of the source word in the original text. */
	start: number;
	end: number;
}

/** Porter would merge these with other words ("used" -> "us", "was" -> "wa"); keep them as they are. */
const STEM_EXCEPTIONS: Record<string, string> = {
	used: 'used',
	us: 'us',
	// "use" and "uses" are not "us": "use of social media for bullying" has no personal anchor.
	use: 'use',
	uses: 'use',
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
	// Porter turns "one" into "on", which would make "on" a determiner ("on children" as "one child").
	one: 'one',
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
/** On a tie, a misspelling is read as the harm word ("ded" is dead rather than dad): recall first. */
let preferred = new Set<string>();
/** Vocabulary words of 3+ letters, by first letter and by sound-alike key: the fuzzy targets. */
/** Known words of 5+ letters under each of their one-letter deletions: a word within distance 1 shares a key. */
let byDeletion = new Map<string, string[]>();

function deletions(w: string): string[] {
	const out = [w];
	for (let i = 0; i < w.length; i++) out.push(w.slice(0, i) + w.slice(i + 1));
	return out;
}
let bySound = new Map<string, string[]>();
const metaphone = new Metaphone();
const soundCache = new Map<string, string>();

/** Sound-alike key (natural's Metaphone): "ded" and "dead" are both TT, "kut" and "cut" both KT. */
export function soundKey(word: string): string {
	let k = soundCache.get(word);
	if (k === undefined) {
		k = metaphone.process(word);
		if (soundCache.size > 100_000) soundCache.clear();
		soundCache.set(word, k);
	}
	return k;
}

function push(map: Map<string, string[]>, key: string, w: string): void {
	const list = map.get(key);
	if (list) list.push(w);
	else map.set(key, [w]);
}

/** Words the screen uses; set by the screen when it compiles. They are never corrected, and are what misspellings are corrected to. */
export function setKnownWords(words: Iterable<string>, harmWords: Iterable<string> = []): void {
	knownWords = new Set(words);
	preferred = new Set(harmWords);
	byDeletion = new Map();
	bySound = new Map();
	for (const w of [...knownWords].sort()) {
		if (w.length < 3 || !/^[a-z]+$/.test(w)) continue;
		if (w.length >= 5) for (const d of deletions(w)) push(byDeletion, d, w);
		push(bySound, soundKey(w), w);
	}
	fuzzyCache.clear();
	expandCache.clear();
}

export function isKnownWord(word: string): boolean {
	return knownWords?.has(word) ?? false;
}

const fuzzyCache = new Map<string, string>();

/**
 * Correct a likely misspelling to a word the screen knows; otherwise return the word unchanged.
 * Words of 3–4 letters need both edit distance 1 and the same sound-alike key ("ded" -> dead, "kut"
 * -> cut, but "bed" stays bed); longer words need distance 1 (2 from 8 letters) with the same first
 * letter, or the same sound-alike key within distance 2 ("sed" stays a map entry, "bruses" -> bruises).
 * Real words that would be turned into a different word are listed in fuzzy-exceptions.ts.
 */
export function correctSpelling(word: string, useExceptions = true): string {
	if (word.length < 3 || NEVER_CORRECT.has(word) || knownWords?.has(word) || /\d/.test(word)) return word;
	if (useExceptions && FUZZY_EXCEPTIONS.has(word)) return word;
	const cached = useExceptions ? fuzzyCache.get(word) : undefined;
	if (cached !== undefined) return cached;
	let best = word;
	let bestD = Infinity;
	const short = word.length <= 4;
	// Sound-alike keys for words up to 7 letters, where children's phonetic spellings are ("ded",
	// "skared", "hungree"); longer words rely on edit distance (Metaphone costs ~18 µs a word).
	for (const target of word.length <= 7 ? (bySound.get(soundKey(word)) ?? []) : []) {
		if (Math.abs(target.length - word.length) > 2) continue;
		const max = short || target.length <= 4 ? 1 : 2;
		const d = editDistance(word, target, max);
		if (d > 0 && d <= max && (d < bestD || (d === bestD && preferred.has(target) && !preferred.has(best)))) {
			best = target;
			bestD = d;
		}
	}
	if (!short && bestD > 1) {
		for (const target of FUZZY_TARGETS) {
			if (target[0] !== word[0]) continue;
			const max = target.length >= 8 ? 2 : 1;
			const d = editDistance(word, target, max);
			if (d > 0 && d <= max && d < bestD) {
				best = target;
				bestD = d;
			}
		}
		if (bestD > 1) {
			// Any known word of 5+ letters with the same first letter at distance 1, found through the deletion index.
			let found: string | null = null;
			for (const d of deletions(word)) {
				for (const target of byDeletion.get(d) ?? []) {
					if (target[0] !== word[0] || target === word) continue;
					if ((found === null || target < found) && editDistance(word, target, 1) === 1) found = target;
				}
			}
			if (found !== null) best = found;
		}
	}
	if (useExceptions) {
		if (fuzzyCache.size > 100_000) fuzzyCache.clear();
		fuzzyCache.set(word, best);
	}
	return best;
}

/**
 * Real-word slips: a real word typed for a harm word that sounds the same ("not aloud out",
 * "he hart me", "i wish i was dyed"). Only corrected in the context given, so "read aloud" stays.
 */
const SLIPS: Record<string, { to: string; before?: RegExp; after?: RegExp }> = {
	aloud: { to: 'allowed', before: /^(not|never|nt|t|be|am|is|are|was|were|get|got)$/ },
	alowed: { to: 'allowed' },
	dye: {
		to: 'die',
		before: /^(to|wanna|gonna|will|would|should|could|i|just)$/,
		after: /^(?!hair|my|her|his|it|them|their)/
	},
	dyed: { to: 'died', before: /^(i|was|had|have|if|wish)$/, after: /^(?!hair|my|her|his|it|them|their)/ },
	hart: { to: 'hurt', after: /^(me|myself|my|her|him|us)$/ },
	heart: { to: 'hurt', after: /^(me|myself|us)$/ },
	cot: { to: 'cut', after: /^(me|myself|my|her|him|us)$/ },
	beet: { to: 'beat', after: /^(me|myself|my|her|him|us)$/ },
	bet: { to: 'beat', after: /^(me|her|him|us)$/, before: /^(he|she|they|dad|mum|stepdad)$/ },
	hid: { to: 'hit', after: /^(me|her|him|us)$/, before: /^(he|she|they|dad|mum|stepdad)$/ },
	bin: {
		to: 'been',
		after: /^(hit|hurt|cut|cutting|hitting|beaten|touched|locked|kicked|left|bullied|raped|abused|harming|starving)/
	},
	scarred: { to: 'scared', after: /^(of|to|that|at|when)$/ },
	lone: { to: 'alone', before: /^(am|im|me|home|all|left|been|was)$/ },
	mite: { to: 'might' },
	rite: { to: 'right' },
	sucide: { to: 'suicide' }
};

/**
 * The tables above as Maps: a plain object's lookup of a word it does not hold walks the prototype
 * (and answers "constructor" or "toString" with Object's own), and most words are misses.
 */
const SLIP_MAP = new Map(Object.entries(SLIPS));

function applySlips(words: { w: string; s?: string }[]): void {
	for (let i = 0; i < words.length; i++) {
		const slip = SLIP_MAP.get(words[i].w);
		if (!slip) continue;
		const before = words[i - 1]?.w ?? '';
		const after = words[i + 1]?.w ?? '';
		if (slip.before && !slip.before.test(before)) continue;
		if (slip.after && !slip.after.test(after)) continue;
		words[i].w = slip.to;
		words[i].s = undefined;
	}
}

const PRONOUN_IS = new Set([
	'it',
	'he',
	'she',
	'there',
	'that',
	'what',
	'who',
	'where',
	'here',
	'how',
	'everything',
	'nobody',
	'noone',
	'someone'
]);
const HARM_AFTER_SELF = /^(harm|harms|harming|harmed|injur|hurt)/;

/** A raw word's normalised words and their stems (one cache lookup a word instead of two). */
interface Expanded {
	words: string[];
	stems: string[];
}
const expandCache = new Map<string, Expanded>();

/** Split one raw (lower-cased) word into normalised words; cached, as answers repeat most words. */
function expandWordCached(w: string): Expanded {
	let out = expandCache.get(w);
	if (out === undefined) {
		const words = expandWord(w, true);
		out = { words, stems: words.map((x) => (x === ',' || x === '.' ? x : stemWord(x))) };
		if (expandCache.size > 100_000) expandCache.clear();
		expandCache.set(w, out);
	}
	return out;
}

/** Split one raw (lower-cased) word into normalised words. */
function expandWord(w: string, correct = true): string[] {
	w = w.replace(/’/g, "'");
	const apos = w.indexOf("'");
	if (apos > 0) {
		const base = w.slice(0, apos);
		const suffix = w.slice(apos + 1);
		if (suffix === 't' && base.endsWith('n')) {
			const b = base.slice(0, -1);
			const fixed = b === 'ca' ? 'can' : b === 'wo' ? 'will' : b === 'ai' ? 'is' : b === 'sha' ? 'shall' : b;
			return [...expandWord(fixed, correct), 'not'];
		}
		if (suffix === 'm') return [base, 'am'];
		if (suffix === 're') return [base, 'are'];
		if (suffix === 've') return [base, 'have'];
		if (suffix === 'll') return [base, 'will'];
		if (suffix === 'd') return [base, 'would'];
		if (suffix === 's') return PRONOUN_IS.has(base) ? [base, 'is'] : expandWord(base, correct);
		return expandWord(base + suffix, correct);
	}
	const mapped = MISSPELLINGS[w];
	if (mapped !== undefined) return mapped.split(' ');
	let m = /^self(harm\w*|injur\w*|hurt\w*)$/.exec(w);
	if (m) return ['self', m[1]];
	m = /^([a-z]{3,})(myself|meself|mysef|myslef)$/.exec(w);
	if (m) return [...expandWord(m[1], correct), 'myself'];
	return [correct ? correctSpelling(w) : w];
}

/** "hell hurt" is "he'll hurt" typed without the apostrophe; only expanded before a verb-like word. */
const APOSTROPHE_LESS: Record<string, string[]> = {
	hell: ['he', 'will'],
	shell: ['she', 'will'],
	ill: ['i', 'will'],
	theyd: ['they', 'would']
};
const VERB_AFTER = new Set(
	'hurt kill hit beat be go get do come find take make send put know tell say see stab smash break leave lose never not always just really hate punch kick slap throw'.split(
		' '
	)
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

const ELSE_AFTER = new Set([
	'nowhere',
	'nobody',
	'noone',
	'one',
	'anyone',
	'anywhere',
	'somewhere',
	'someone',
	'everyone',
	'nothing'
]);
const APOSTROPHE_LESS_MAP = new Map(Object.entries(APOSTROPHE_LESS));
const MERGE_NEXT_MAP = new Map(Object.entries(MERGE_NEXT));
const BOUNDARY = /^[.!?;\n]+$/;
const TOKEN_RE = /[A-Za-z0-9\u00C0-\u024F]+(?:['’][A-Za-z]+)*|[.!?;\n]+|,/g;

/**
 * Tokenise text into normalised, stemmed tokens with offsets into the original. `correct` false
 * skips spelling correction (for compiling the screen's own word lists).
 */
export function tokenise(text: string, correct = true): Token[] {
	// `s`: the word's stem when it came from the cache unchanged.
	const words: { w: string; start: number; end: number; s?: string }[] = [];
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
		const lower = raw.toLowerCase();
		if (correct) {
			const x = expandWordCached(lower);
			for (let k = 0; k < x.words.length; k++) words.push({ w: x.words[k], start, end, s: x.stems[k] });
		} else for (const w of expandWord(lower, false)) words.push({ w, start, end });
	}
	if (correct) applySlips(words);
	// "nowhere else to go", "nobody else cares": "else" adds nothing the screen needs.
	for (let i = words.length - 1; i > 0; i--)
		if (words[i].w === 'else' && ELSE_AFTER.has(words[i - 1].w)) words.splice(i, 1);
	for (let i = 0; i < words.length - 1; i++) {
		const exp = APOSTROPHE_LESS_MAP.get(words[i].w);
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
		let stem = cur.s;
		if (next && MERGE_NEXT_MAP.get(w)?.has(next.w)) {
			// "my self harm" stays "my self harm"; "my self" on its own becomes "myself".
			const after = words[i + 2];
			if (!(w === 'my' && after && HARM_AFTER_SELF.test(after.w))) {
				w = w + next.w;
				end = next.end;
				stem = undefined;
				i++;
			}
		}
		tokens.push({ stem: stem ?? (w === ',' || w === '.' ? w : stemWord(w)), word: w, start: cur.start, end });
	}
	return tokens;
}
