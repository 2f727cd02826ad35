/**
 * Text handling for the theme engine: normalising, tokenising, stemming, stop words, n-grams and
 * spelling tolerance, all built on `natural`.
 */
import * as natural from './natural';

const doubleMetaphone = new natural.DoubleMetaphone();

/** Words that natural lists as stop words but that carry meaning for theme coding. */
const KEEP = new Set([
	'no',
	'not',
	'never',
	'nothing',
	'nobody',
	'none',
	'nowhere',
	'without',
	'more',
	'most',
	'less',
	'least',
	'few',
	'many',
	'much',
	'enough',
	'too',
	'only',
	'against',
	'cannot',
	'own',
	'out',
	'under',
	'over',
	'up',
	'after',
	'before',
	'during',
	'between',
	'other',
	'same',
	'well',
	'way',
	'get',
	'make',
	'take',
	'see',
	'come'
]);

/** Stop words: natural's English list minus negations, quantities and a few content words. */
export const STOP_WORDS: ReadonlySet<string> = new Set([
	...natural.stopwords.filter((w: string) => !KEEP.has(w)),
	'i',
	'im',
	"i'm",
	'ive',
	'id',
	'ill',
	'its',
	'it',
	'us',
	'also',
	'just',
	'really',
	'lot',
	'lots',
	'alot',
	'etc',
	'will',
	'shall',
	'a',
	'an',
	'the',
	'and',
	'or',
	'of',
	'is',
	'are',
	'be',
	'to',
	'we',
	'they',
	'them',
	'our',
	'there',
	'their',
	'would',
	'could',
	'should',
	'can',
	'do',
	'does',
	'did',
	'have',
	'has',
	'had',
	'been',
	'am',
	'was',
	'were',
	'this',
	'that',
	'these',
	'those',
	"it's",
	'thing',
	'things',
	'feel',
	'think'
]);

/** Negation cues (after contractions are expanded). */
export const NEGATORS: ReadonlySet<string> = new Set([
	'not',
	'never',
	'no',
	'nothing',
	'none',
	'nobody',
	'nowhere',
	'without',
	'lack',
	'cannot',
	'hardly'
]);

const CONTRACTIONS: Record<string, string[]> = {
	"can't": ['can', 'not'],
	cant: ['can', 'not'],
	"won't": ['will', 'not'],
	wont: ['will', 'not'],
	"shan't": ['shall', 'not'],
	"ain't": ['is', 'not'],
	dont: ['do', 'not'],
	doesnt: ['does', 'not'],
	didnt: ['did', 'not'],
	isnt: ['is', 'not'],
	arent: ['are', 'not'],
	wasnt: ['was', 'not'],
	werent: ['were', 'not'],
	havent: ['have', 'not'],
	hasnt: ['has', 'not'],
	hadnt: ['had', 'not'],
	wouldnt: ['would', 'not'],
	couldnt: ['could', 'not'],
	shouldnt: ['should', 'not'],
	aint: ['is', 'not']
};

/**
 * Text-speak and spoken spellings children and young people write, mapped onto the words the
 * codebooks and the learner know ("gonna" → "going to", "ppl" → "people", "skool" → "school").
 * Applied token by token, before spelling correction, in coding, learning and keyword matching
 * alike. Fillers with no content ("lol", "innit") become nothing.
 */
const TEXT_SPEAK: Record<string, string[]> = {
	gonna: ['going', 'to'],
	wanna: ['want', 'to'],
	gotta: ['got', 'to'],
	gimme: ['give', 'me'],
	lemme: ['let', 'me'],
	dunno: ['do', 'not', 'know'],
	ppl: ['people'],
	peeps: ['people'],
	pplz: ['people'],
	skool: ['school'],
	skl: ['school'],
	skewl: ['school'],
	u: ['you'],
	ya: ['you'],
	yu: ['you'],
	ur: ['your'],
	r: ['are'],
	cos: ['because'],
	coz: ['because'],
	cuz: ['because'],
	bcos: ['because'],
	bcoz: ['because'],
	bc: ['because'],
	becuz: ['because'],
	pls: ['please'],
	plz: ['please'],
	thx: ['thanks'],
	luv: ['love'],
	gr8: ['great'],
	m8: ['mate'],
	m8s: ['mates'],
	b4: ['before'],
	'2day': ['today'],
	'2moro': ['tomorrow'],
	tmrw: ['tomorrow'],
	nuthin: ['nothing'],
	nothin: ['nothing'],
	nuffin: ['nothing'],
	nowt: ['nothing'],
	sumthin: ['something'],
	somethin: ['something'],
	summat: ['something'],
	fam: ['family'],
	bestie: ['best', 'friend'],
	besties: ['best', 'friends'],
	bff: ['best', 'friend'],
	bffs: ['best', 'friends'],
	bezzie: ['best', 'friend'],
	lil: ['little'],
	gud: ['good'],
	wiv: ['with'],
	fink: ['think'],
	hav: ['have'],
	tho: ['though'],
	thru: ['through'],
	wen: ['when'],
	wot: ['what'],
	wat: ['what'],
	kidz: ['kids'],
	bruv: ['brother'],
	footie: ['football'],
	footy: ['football'],
	insta: ['instagram'],
	yt: ['youtube'],
	lol: [],
	innit: [],
	omg: [],
	tbh: [],
	idk: ['do', 'not', 'know'],
	nite: ['night'],
	abt: ['about'],
	sumone: ['someone'],
	sum1: ['someone'],
	some1: ['someone'],
	every1: ['everyone'],
	any1: ['anyone'],
	no1: ['no', 'one'],
	evry: ['every'],
	bein: ['being'],
	meen: ['mean'],
	playin: ['playing'],
	goin: ['going'],
	doin: ['doing'],
	nothink: ['nothing'],
	somethink: ['something']
};

// eslint-disable-next-line no-control-regex -- the whole ASCII range, control characters included
const ASCII = /^[\x00-\x7f]*$/;

/** Lower-case, unify apostrophes/quotes and strip accents. */
export function normalise(text: string): string {
	// Fast path (same result): plain ASCII text has nothing to decompose or strip.
	if (ASCII.test(text)) {
		let s = text.toLowerCase();
		if (s.includes('`')) s = s.replace(/`/g, "'");
		if (s.includes('&')) s = s.replace(/&/g, ' and ');
		return s;
	}
	return text
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[\u2018\u2019\u02bc`´]/g, "'")
		.replace(/&/g, ' and ');
}

/**
 * Gaps between raw word tokens of normalised text. Splitting on it and dropping empty strings is
 * what natural's `RegexpTokenizer({ pattern })` does, without its per-call array copies.
 */
export const TOKEN_GAP = /[^a-z0-9']+/;
/** TOKEN_GAP as a capture group: splitting keeps the gaps, so punctuation between words is known. */
export const TOKEN_GAP_CAPTURE = /([^a-z0-9']+)/;

/**
 * Split an answer into lower-case word tokens. Contractions are expanded so that negation is
 * visible ("don't" → "do", "not"); possessive "'s" and stray apostrophes are dropped.
 */
export function tokenize(text: string): string[] {
	const out: string[] = [];
	for (const raw of normalise(text).split(TOKEN_GAP)) if (raw) pushTokens(raw, out);
	return out;
}

/**
 * The tokens of one raw (already normalised, gap-free) token: contractions expanded, possessive
 * "'s" and stray apostrophes dropped. Appends 0–2 tokens to `out`.
 */
export function pushTokens(raw: string, out: string[]): void {
	let t = raw.includes("'") ? raw.replace(/^'+|'+$/g, '') : raw;
	if (!t) return;
	const c = Object.prototype.hasOwnProperty.call(CONTRACTIONS, t) ? CONTRACTIONS[t] : undefined;
	if (c) {
		out.push(...c);
		return;
	}
	const speak = Object.prototype.hasOwnProperty.call(TEXT_SPEAK, t) ? TEXT_SPEAK[t] : undefined;
	if (speak) {
		out.push(...speak);
		return;
	}
	if (!t.includes("'")) {
		out.push(t);
		return;
	}
	if (t.endsWith("n't")) {
		out.push(t.slice(0, -3), 'not');
		return;
	}
	if (t.endsWith("'s")) t = t.slice(0, -2);
	else if (t.endsWith("'re") || t.endsWith("'ve") || t.endsWith("'ll")) t = t.slice(0, -3);
	else if (t.endsWith("'d") || t.endsWith("'m")) t = t.slice(0, -2);
	t = t.replace(/'/g, '');
	if (t) out.push(t);
}

const stemCache = new Map<string, string>();
/** Porter stem (natural), cached. */
export function stem(word: string): string {
	let s = stemCache.get(word);
	if (s === undefined) {
		s = /^[a-z]+$/.test(word) ? natural.PorterStemmer.stem(word) : word;
		if (stemCache.size > 200_000) stemCache.clear();
		stemCache.set(word, s);
	}
	return s;
}

/** Word n-grams (natural's NGrams), each joined with a space. */
export function ngrams(tokens: string[], n: number): string[] {
	if (tokens.length < n) return [];
	return natural.NGrams.ngrams(tokens, n).map((g: string[]) => g.join(' '));
}

let lexicon: Set<string> | null = null;
/**
 * English word list (the 92k-word lexicon shipped with natural's Brill tagger), used so that
 * correctly spelt words are never "corrected".
 */
export function englishLexicon(): Set<string> {
	if (!lexicon) {
		const words = Object.keys(natural.brillLexicon());
		lexicon = new Set();
		for (const w of words) if (/^[a-z]+$/i.test(w)) lexicon.add(w.toLowerCase());
		// British spellings and everyday words the American lexicon lacks.
		for (const w of [
			'mum',
			'mums',
			'nan',
			'nana',
			'gran',
			'grandad',
			'telly',
			'footy',
			'xbox',
			'playstation',
			'wellbeing',
			'organised',
			'organise',
			'recognise',
			'colour',
			'favourite',
			'centre',
			'centres',
			'programme',
			'neighbour',
			'neighbours',
			'neighbourhood',
			'behaviour',
			'travelling',
			'youtube',
			'instagram',
			'snapchat',
			'tiktok',
			'online',
			'offline',
			'uni',
			'gp',
			'gps',
			'nhs',
			'camhs',
			'sen',
			'send',
			'ok',
			'okay'
		])
			lexicon.add(w);
	}
	return lexicon;
}

function deletes1(w: string): string[] {
	const out: string[] = [];
	for (let i = 0; i < w.length; i++) out.push(w.slice(0, i) + w.slice(i + 1));
	return out;
}

/** Phonetic keys (natural's Double Metaphone, both codes) plus first letter, for "skool"/"school". */
export function phoneticKeys(word: string): string[] {
	const [a, b] = doubleMetaphone.process(word) as [string, string];
	return a === b ? [word[0] + ':' + a] : [word[0] + ':' + a, word[0] + ':' + b];
}

/**
 * Spelling tolerance: maps a misspelt word onto the closest word of a known vocabulary
 * (codebook keywords, training vocabulary). A word is only corrected when it is not an English
 * word itself and not part of the vocabulary; candidates come from a SymSpell-style deletion index
 * (edit distance ≤ 1 for 4–6 letters, ≤ 2 for longer words, checked with natural's
 * Damerau–Levenshtein distance) and from Double Metaphone keys (e.g. "skool" → "school").
 * Ties are broken by vocabulary frequency and then alphabetically, so it is deterministic.
 */
export class Speller {
	private freq = new Map<string, number>();
	private delIndex = new Map<string, string[]>();
	private phon = new Map<string, string>();
	private cache = new Map<string, string>();

	constructor(vocabulary: Iterable<[string, number]> | Iterable<string>) {
		for (const entry of vocabulary as Iterable<[string, number] | string>) {
			const [w, f] = typeof entry === 'string' ? [entry, 1] : entry;
			if (!/^[a-z]{3,}$/.test(w)) continue;
			this.freq.set(w, (this.freq.get(w) ?? 0) + f);
		}
		const words = [...this.freq.keys()].sort();
		for (const w of words) {
			const keys = new Set<string>([w]);
			for (const d of deletes1(w)) {
				keys.add(d);
				if (w.length >= 7) for (const d2 of deletes1(d)) keys.add(d2);
			}
			for (const k of keys) {
				const list = this.delIndex.get(k);
				if (list) list.push(w);
				else this.delIndex.set(k, [w]);
			}
			if (w.length >= 4)
				for (const p of phoneticKeys(w)) {
					const cur = this.phon.get(p);
					if (!cur || this.freq.get(w)! > this.freq.get(cur)!) this.phon.set(p, w);
				}
		}
	}

	has(word: string): boolean {
		return this.freq.has(word);
	}

	/** The corrected form of `word` (the word itself when nothing fits). */
	correct(word: string): string {
		if (word.length < 4 || this.freq.has(word) || !/^[a-z]+$/.test(word)) return word;
		const cached = this.cache.get(word);
		if (cached !== undefined) return cached;
		let result = word;
		if (!englishLexicon().has(word)) result = this.lookup(word);
		if (this.cache.size > 100_000) this.cache.clear();
		this.cache.set(word, result);
		return result;
	}

	private lookup(word: string): string {
		const maxDist = word.length >= 7 ? 2 : 1;
		const keys = new Set<string>([word]);
		for (const d of deletes1(word)) {
			keys.add(d);
			if (maxDist === 2) for (const d2 of deletes1(d)) keys.add(d2);
		}
		let best = '';
		let bestD = Infinity;
		let bestF = -1;
		for (const k of keys) {
			for (const cand of this.delIndex.get(k) ?? []) {
				if (cand[0] !== word[0] && maxDist === 1) continue;
				const d = natural.DamerauLevenshteinDistance(word, cand);
				if (d > maxDist) continue;
				const f = this.freq.get(cand)!;
				if (d < bestD || (d === bestD && (f > bestF || (f === bestF && cand < best)))) {
					best = cand;
					bestD = d;
					bestF = f;
				}
			}
		}
		if (best) return best;
		for (const key of phoneticKeys(word)) {
			const p = this.phon.get(key);
			if (p && Math.abs(p.length - word.length) <= 2 && natural.DamerauLevenshteinDistance(word, p) <= 2) return p;
		}
		return word;
	}
}
