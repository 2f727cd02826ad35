/**
 * Safeguarding screen: flags answers that may disclose harm, for a human to read.
 *
 * screenAnswer(text) -> { level: 'urgent' | 'review' | null, matches }
 *
 * How it works: the answer is tokenised and normalised (contractions, misspellings,
 * compounds, Porter stems — see normalise.ts); each phrase pattern in lexicon.ts
 * is compiled once to a regular expression over the stemmed token string; a
 * match is dropped if it overlaps an ordinary idiom ("killing time"), or if it is
 * negated ("never", "not", "nobody" shortly before or inside it). First-person
 * patterns carry their own level; urgent matches in a sentence set in the past
 * ("used to", "when I was little", "last year") become review. The answer's
 * level is the highest level of its remaining matches.
 *
 * Deterministic, no I/O, no dependencies beyond natural's Porter stemmer.
 */
import { IDIOMS, LEXICON, MACROS, type Category, type LexiconEntry, type Level } from './lexicon';
import { setKnownWords, stemWord, tokenise, type Token } from './normalise';

export type { Category, Level } from './lexicon';

export interface SafeguardingMatch {
	/** Name of the lexicon phrase that matched (e.g. "kill myself"). */
	phrase: string;
	category: Category;
	/** The sentence (or a window of it) from the original answer around the match. */
	excerpt: string;
	/** Level this match alone would give (after negation / past-tense handling). */
	level: Level;
	/** Offsets of the matched words in the original text. */
	start: number;
	end: number;
}

export interface ScreenResult {
	level: Level | null;
	matches: SafeguardingMatch[];
}

/** Words a `~N` gap may not cross: general subjects that make a phrase a comment about others. */
const GENERAL_WORDS = [
	'kid', 'kids', 'people', 'children', 'child', 'who', 'young', 'student', 'students', 'pupils', 'they', 'them',
	'anyone', 'anybody', 'everyone', 'someone', 'teenagers', 'teens', 'others', 'those', 'person', 'families',
	'parents', 'if', 'should', 'need', 'needs', 'about', 'more', 'help', 'support'
];
const NEGATORS = ['not', 'never', 'no', 'noone', 'nobody', 'neither', 'nor'];
const NEGATION_BARRIERS = [',', '.', 'but', 'and', 'because', 'so', 'though', 'although', 'however', 'until', 'then'];
/** Sentence-level markers that put an urgent match in the past. */
const PAST_MARKERS = [
	'used to',
	'when i was ~2 little|young|younger|small|kid|baby|primary|in|at',
	'years|year ago',
	'last year',
	'in the past',
	'a long time ago',
	'not anymore'
];
const NEGATION_LOOKBACK = 4;

interface Compiled {
	entry: LexiconEntry;
	re: RegExp;
	/** Stems of which at least one must be present for the pattern to match. */
	triggers: string[];
}

const COMMON = new Set(
	['i', 'me', 'us', 'my', 'to', 'the', 'a', 'an', 'is', 'at', 'of', 'in', 'not', 'no', 'he', 'she', 'they', 'her', 'him', 'it', 'on', 'for', 'be', 'am', 'are', 'was', 'were', 'been', 'being', 'get', 'got', 'we', 'our', 'them', 'his', 'their', 'all', 'up', 'out'].map(stemWord)
);

function expandAlternatives(spec: string, depth = 0): string[] {
	if (depth > 5) throw new Error(`macro recursion in ${spec}`);
	const out: string[] = [];
	for (const alt of spec.split('|')) {
		if (alt.startsWith('@')) {
			const macro = MACROS[alt.slice(1)];
			if (macro === undefined) throw new Error(`unknown macro ${alt}`);
			out.push(...expandAlternatives(macro, depth + 1));
		} else if (alt) out.push(alt);
	}
	return out;
}

const rawPatternWords = new Set<string>();

function altToRegex(alt: string): string {
	if (alt === '#') return '\\d+';
	return alt
		.split(/[_ ]/)
		.map((w) => {
			rawPatternWords.add(w);
			return stemWord(w.toLowerCase()).replace(/[^a-z0-9]/g, (c) => `\\${c}`);
		})
		.join(' ');
}

const GENERAL_RE = GENERAL_WORDS.map(stemWord).join('|');

interface Parsed {
	source: string;
	triggers: string[];
}

function parsePattern(pattern: string): Parsed {
	let source = '(?<= )';
	let best: string[] | null = null;
	let bestScore = -Infinity;
	for (const part of pattern.trim().split(/\s+/)) {
		const gap = /^([*~])(\d+)$/.exec(part);
		if (gap) {
			const n = Number(gap[2]);
			source +=
				gap[1] === '*'
					? `(?:[^ ,.]+ ){0,${n}}`
					: `(?:(?!(?:${GENERAL_RE}) )[^ ,.]+ ){0,${n}}`;
			continue;
		}
		const optional = part.startsWith('?');
		const alts = expandAlternatives(optional ? part.slice(1) : part);
		const body = `(?:${[...new Set(alts.map(altToRegex))].join('|')}) `;
		source += optional ? `(?:${body})?` : body;
		if (!optional && !alts.includes('#')) {
			const stems = [...new Set(alts.map((a) => stemWord(a.split(/[_ ]/)[0].toLowerCase())))];
			// Prefer an element of uncommon words with few alternatives as the trigger.
			const common = stems.some((s) => COMMON.has(s));
			const score = (common ? -1000 : 0) - stems.length;
			if (score > bestScore) {
				bestScore = score;
				best = stems;
			}
		}
	}
	return { source, triggers: best ?? [] };
}

function compile(pattern: string): { re: RegExp; triggers: string[] } {
	const p = parsePattern(pattern);
	return { re: new RegExp(p.source, 'g'), triggers: p.triggers };
}

const compiled: Compiled[] = LEXICON.map((entry) => ({ entry, ...compile(entry.pattern) }));
const idioms = IDIOMS.map((p) => compile(p));
const pastMarkers = PAST_MARKERS.map((p) => compile(p).re);
setKnownWords(rawPatternWords);

const byTrigger = new Map<string, number[]>();
compiled.forEach((c, i) => {
	for (const t of c.triggers) {
		const list = byTrigger.get(t) ?? [];
		list.push(i);
		byTrigger.set(t, list);
	}
});
const idiomByTrigger = new Map<string, number[]>();
idioms.forEach((c, i) => {
	for (const t of c.triggers) {
		const list = idiomByTrigger.get(t) ?? [];
		list.push(i);
		idiomByTrigger.set(t, list);
	}
});
const NEG = new Set(NEGATORS.map(stemWord));
const BARRIER = new Set(NEGATION_BARRIERS.map((w) => (w.length > 1 ? stemWord(w) : w)));

interface Hit {
	entry: LexiconEntry;
	first: number;
	last: number;
}

/** Run a regex over the joined stem string, returning token spans [first, last]. */
function spans(re: RegExp, joined: string, tokenAt: Map<number, number>): [number, number][] {
	const out: [number, number][] = [];
	re.lastIndex = 0;
	let m: RegExpExecArray | null;
	while ((m = re.exec(joined)) !== null) {
		if (m[0].length === 0) {
			re.lastIndex++;
			continue;
		}
		const first = tokenAt.get(m.index)!;
		let count = 0;
		for (let k = 0; k < m[0].length; k++) if (m[0].charCodeAt(k) === 32) count++;
		out.push([first, first + count - 1]);
	}
	return out;
}

function isNegated(tokens: Token[], first: number, last: number): boolean {
	for (let i = first; i <= last; i++) if (NEG.has(tokens[i].stem)) return true;
	for (let i = first - 1, seen = 0; i >= 0 && seen < NEGATION_LOOKBACK; i--, seen++) {
		const s = tokens[i].stem;
		if (BARRIER.has(s)) break;
		if (NEG.has(s)) return true;
	}
	return false;
}

function sentenceBounds(tokens: Token[], index: number): [number, number] {
	let a = index;
	while (a > 0 && tokens[a - 1].stem !== '.') a--;
	let b = index;
	while (b < tokens.length - 1 && tokens[b + 1].stem !== '.') b++;
	return [a, b];
}

function excerptFor(text: string, tokens: Token[], first: number, last: number): string {
	const [a, b] = sentenceBounds(tokens, first);
	let start = tokens[a].start;
	let end = tokens[Math.max(b, last)].end;
	const mStart = tokens[first].start;
	const mEnd = tokens[last].end;
	if (end - start > 200) {
		start = Math.max(start, mStart - 80);
		end = Math.min(end, mEnd + 80);
	}
	let s = text.slice(start, end).replace(/\s+/g, ' ').trim();
	if (start > 0) s = '…' + s;
	if (end < text.length) s = s + '…';
	return s;
}

const RANK: Record<Level, number> = { review: 1, urgent: 2 };

/** Screen one answer for possible safeguarding disclosures. */
export function screenAnswer(text: string): ScreenResult {
	if (typeof text !== 'string' || text.trim() === '') return { level: null, matches: [] };
	const tokens = tokenise(text).filter((t, i, all) => t.stem !== '.' || (i > 0 && all[i - 1].stem !== '.'));
	if (tokens.length === 0) return { level: null, matches: [] };
	const present = new Set<string>();
	for (const t of tokens) present.add(t.stem);

	const candidates = new Set<number>();
	for (const s of present) {
		const list = byTrigger.get(s);
		if (list) for (const i of list) candidates.add(i);
	}
	if (candidates.size === 0) return { level: null, matches: [] };

	let joined = ' ';
	const tokenAt = new Map<number, number>();
	tokens.forEach((t, i) => {
		tokenAt.set(joined.length, i);
		joined += t.stem + ' ';
	});

	const hits: Hit[] = [];
	for (const i of [...candidates].sort((a, b) => a - b)) {
		const c = compiled[i];
		for (const [first, last] of spans(c.re, joined, tokenAt)) hits.push({ entry: c.entry, first, last });
	}
	if (hits.length === 0) return { level: null, matches: [] };

	// Idioms that cancel overlapping matches.
	const idiomSpans: [number, number][] = [];
	const idiomCandidates = new Set<number>();
	for (const s of present) for (const i of idiomByTrigger.get(s) ?? []) idiomCandidates.add(i);
	for (const i of idiomCandidates) idiomSpans.push(...spans(idioms[i].re, joined, tokenAt));

	const kept: SafeguardingMatch[] = [];
	const pastCache = new Map<number, boolean>();
	for (const h of hits) {
		if (idiomSpans.some(([a, b]) => a <= h.last && b >= h.first)) continue;
		if (h.entry.negatable !== false && isNegated(tokens, h.first, h.last)) continue;
		let level = h.entry.level;
		if (level === 'urgent' && h.entry.downgrade !== false) {
			const [a, b] = sentenceBounds(tokens, h.first);
			let past = pastCache.get(a);
			if (past === undefined) {
				const sentence = ' ' + tokens.slice(a, b + 1).map((t) => t.stem).join(' ') + ' ';
				past = pastMarkers.some((re) => {
					re.lastIndex = 0;
					return re.test(sentence);
				});
				pastCache.set(a, past);
			}
			if (past) level = 'review';
		}
		kept.push({
			phrase: h.entry.phrase,
			category: h.entry.category,
			excerpt: excerptFor(text, tokens, h.first, h.last),
			level,
			start: tokens[h.first].start,
			end: tokens[h.last].end
		});
	}
	if (kept.length === 0) return { level: null, matches: [] };

	// Drop matches covered by another of the same category at an equal or higher level.
	kept.sort((x, y) => RANK[y.level] - RANK[x.level] || x.start - y.start || y.end - x.end);
	const matches: SafeguardingMatch[] = [];
	for (const m of kept) {
		const covered = matches.some(
			(o) => o.category === m.category && o.start <= m.start && o.end >= m.end && RANK[o.level] >= RANK[m.level]
		);
		if (!covered) matches.push(m);
	}
	matches.sort((x, y) => x.start - y.start || RANK[y.level] - RANK[x.level]);
	const level = matches.some((m) => m.level === 'urgent') ? 'urgent' : 'review';
	return { level, matches };
}
