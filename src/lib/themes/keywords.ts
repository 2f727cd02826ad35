/**
 * Codebook matching: keyword phrases (and theme labels/descriptions) matched against an answer's
 * stemmed, spelling-corrected tokens, with negation handling.
 */
import type { Codebook } from './codebook';
import { Speller, stem, tokenize, STOP_WORDS } from './text';
import { contentTokens } from './self-description';

/** Words skipped inside keyword phrases so that "nothing to do" matches "nothing for us to do". */
const GLUE = new Set([
	'a',
	'an',
	'the',
	'to',
	'of',
	'for',
	'and',
	'or',
	'in',
	'on',
	'at',
	'my',
	'our',
	'your',
	'is',
	'are',
	'be',
	'with',
	'i',
	'we',
	'it',
	'some',
	'any'
]);
/** Possession verbs: "I don't have a pet" is not about pets, "not safe" still is about safety. */
const POSSESS = new Set(['have', 'has', 'had', 'got', 'own', 'get']);
const LACK_AFTER_NOT = new Set(['enough', 'many', 'much', 'sufficient', 'any', 'a', 'very']);
const DISMISS_AFTER = [
	['not', 'import'],
	['not', 'matter'],
	['not', 'care'],
	['not', 'bother'],
	['not', 'need']
];

/** An answer prepared for matching and feature extraction. */
export interface Analysed {
	/** lower-case tokens, contractions expanded */
	tokens: string[];
	/** tokens after spelling correction */
	corrected: string[];
	/** Porter stems of the corrected tokens */
	stems: string[];
	/**
	 * The perspective the answer was given as (the respondent group, "child", "practitioner"),
	 * when known: the learner pairs it with the answer's words, never uses it alone (features.ts).
	 */
	perspective?: string | null;
}

/**
 * Tokens, spelling corrections and stems of an answer, without the respondent's self-description
 * ("As a parent, …"): that is context, not evidence for a theme (self-description.ts).
 */
export function analyse(text: string, speller?: Speller): Analysed {
	const tokens = contentTokens(text);
	const corrected = speller ? tokens.map((t) => speller.correct(t)) : tokens;
	return { tokens, corrected, stems: corrected.map(stem) };
}

interface Phrase {
	theme: number;
	stems: string[];
	weight: number;
	text: string;
}

export interface KeywordHit {
	theme: number;
	keyword: string;
	weight: number;
}

/** The content stems of a keyword phrase (glue words dropped unless nothing else is left). */
export function phraseStems(phrase: string): string[] {
	const toks = tokenize(phrase);
	const content = toks.filter((t) => !GLUE.has(t));
	return (content.length ? content : toks).map(stem);
}

/** Words a keyword vocabulary should hold for spelling correction. */
export function codebookWords(codebook: Codebook): string[] {
	const words = new Set<string>();
	for (const t of codebook.themes) {
		for (const k of [...(t.keywords ?? []), t.label]) for (const w of tokenize(k)) if (w.length >= 3) words.add(w);
	}
	return [...words].sort();
}

/**
 * Compiled keyword matcher for a codebook. `score(analysed)` gives, per theme, evidence in 0..1
 * (1 − e^(−1.2·Σ hit weights)); keyword and label hits weigh 1 (0.3 when negated as possession,
 * "I don't have a pet"), description words 0.2 each. Lack phrasing ("nothing to do", "not enough
 * safe places", "no parks") counts fully: it is about the theme.
 */
export class KeywordMatcher {
	private byFirst = new Map<string, Phrase[]>();
	private descStems: Map<string, number[]>;
	readonly themeCount: number;
	readonly hasKeywords: boolean[];

	constructor(codebook: Codebook) {
		this.themeCount = codebook.themes.length;
		this.hasKeywords = codebook.themes.map((t) => (t.keywords?.length ?? 0) > 0);
		this.descStems = new Map();
		codebook.themes.forEach((t, i) => {
			const phrases = new Map<string, number>();
			for (const k of t.keywords ?? []) phrases.set(k, 1);
			// The label itself when it is short enough to be said in an answer ("Friends", "Pets").
			const labelContent = tokenize(t.label).filter((w) => !STOP_WORDS.has(w) && !GLUE.has(w));
			if (labelContent.length > 0 && labelContent.length <= 2 && !phrases.has(t.label)) phrases.set(t.label, 0.8);
			// Phrases with the same stems ("pet", "pets", "my pet") count once, at their highest weight.
			const byStems = new Map<string, Phrase>();
			for (const [text, weight] of phrases) {
				const stems = phraseStems(text);
				if (!stems.length) continue;
				const key = stems.join(' ');
				const prev = byStems.get(key);
				if (!prev || weight > prev.weight) byStems.set(key, { theme: i, stems, weight, text });
			}
			for (const p of byStems.values()) {
				const stems = p.stems;
				const list = this.byFirst.get(stems[0]);
				if (list) list.push(p);
				else this.byFirst.set(stems[0], [p]);
			}
			for (const w of tokenize(t.description ?? '')) {
				if (STOP_WORDS.has(w) || GLUE.has(w) || w.length < 4) continue;
				const s = stem(w);
				const list = this.descStems.get(s) ?? [];
				if (!list.includes(i)) list.push(i);
				this.descStems.set(s, list);
			}
		});
	}

	/**
	 * All keyword hits in an answer (each keyword at most once). Longest match wins across
	 * themes: a keyword lying wholly inside the words a longer keyword of another theme matched
	 * is not evidence of its own, so "family support services" is support, not also Family, and
	 * "a safe family environment" is safety (how the codebooks and the seed report read them);
	 * "my family" on its own is still Family.
	 */
	hits(a: Analysed): KeywordHit[] {
		return this.counted(this.spans(a)).map(({ theme, keyword, weight }) => ({ theme, keyword, weight }));
	}

	/** Every match of every keyword, at each place it starts. */
	private spans(a: Analysed): Span[] {
		const out: Span[] = [];
		const s = a.stems;
		for (let i = 0; i < s.length; i++) {
			const list = this.byFirst.get(s[i]);
			if (!list) continue;
			for (const p of list) {
				const end = matchFrom(s, i, p.stems);
				if (end < 0) continue;
				const corrected = a.corrected.slice(i, end + 1).some((w, j) => w !== a.tokens[i + j]);
				const weight = p.weight * (corrected ? 0.9 : 1) * negationFactor(a.corrected, i, end);
				// Only a keyword said as one phrase (nothing but glue words in between) claims its words:
				// "a family that supports you" is about family, "family support" is not.
				let words = 0;
				for (let j = i; j <= end; j++) if (!GLUE.has(a.corrected[j])) words++;
				const tight = words === p.stems.length;
				out.push({ theme: p.theme, keyword: p.text, weight, start: i, end, size: p.stems.length, claims: tight });
			}
		}
		return out;
	}

	/** The matches that count: not shadowed, each keyword once (its first such match). */
	private counted(spans: Span[]): Span[] {
		const seen = new Set<string>();
		return spans.filter((m) => {
			if (shadowed(m, spans)) return false;
			const key = m.theme + '\u0000' + m.keyword;
			if (seen.has(key)) return false;
			seen.add(key);
			return true;
		});
	}

	/** Evidence per theme in 0..1. */
	score(a: Analysed): Float64Array {
		const sum = new Float64Array(this.themeCount);
		const spans = this.spans(a);
		for (const m of this.counted(spans)) sum[m.theme] += m.weight;
		if (this.descStems.size) {
			// A word inside a multi-word keyword speaks for that keyword's theme only.
			const owner = new Int32Array(a.stems.length).fill(-1);
			for (const m of spans) if (m.claims && m.size > 1) for (let i = m.start; i <= m.end; i++) owner[i] = m.theme;
			const seen = new Set<string>();
			a.stems.forEach((st, i) => {
				const themes = this.descStems.get(st);
				if (!themes) return;
				for (const t of themes) {
					if (owner[i] >= 0 && owner[i] !== t) continue;
					const key = t + '\u0000' + st;
					if (seen.has(key)) continue;
					seen.add(key);
					sum[t] += 0.2;
				}
			});
		}
		for (let t = 0; t < sum.length; t++) sum[t] = 1 - Math.exp(-1.2 * sum[t]);
		return sum;
	}
}

/** A keyword matched in an answer: its theme and the stems it covers (start..end). */
interface Span extends KeywordHit {
	start: number;
	end: number;
	/** content words in the keyword */
	size: number;
	/** said as one phrase (only glue words in between): its words are its theme's */
	claims: boolean;
}

/** True when a longer keyword of another theme matched words that include all of this one's. */
function shadowed(m: Span, all: Span[]): boolean {
	for (const o of all)
		if (o.claims && o.theme !== m.theme && o.size > m.size && o.start <= m.start && o.end >= m.end) return true;
	return false;
}

/** End index of the phrase matched at `start` (content stems in order, small gaps allowed), or −1. */
function matchFrom(s: string[], start: number, phrase: string[]): number {
	let pos = start;
	const maxSpan = phrase.length * 3 + 2;
	for (let k = 1; k < phrase.length; k++) {
		let found = -1;
		for (let j = pos + 1; j < s.length && j - start < maxSpan; j++) {
			if (s[j] === phrase[k]) {
				found = j;
				break;
			}
		}
		if (found < 0) return -1;
		pos = found;
	}
	return pos;
}

/**
 * 1 for a plain or "lack" mention; 0.3 when negated as possession ("don't have a pet") or
 * dismissed afterwards ("pets are not important").
 */
function negationFactor(w: string[], start: number, end: number): number {
	for (let j = Math.max(0, start - 4); j < start; j++) {
		if (w[j] === 'not' || w[j] === 'never') {
			const next = w[j + 1];
			if (next && LACK_AFTER_NOT.has(next)) continue;
			for (let k = j + 1; k < start; k++) if (POSSESS.has(w[k])) return 0.3;
		}
	}
	for (let j = end + 1; j < Math.min(w.length, end + 5); j++) {
		for (const [a, b] of DISMISS_AFTER) if (w[j] === a && w[j + 1] && stem(w[j + 1]) === b) return 0.3;
	}
	return 1;
}

/**
 * A predicate "does this text mention any of these keywords?" with exactly the matching coding
 * uses: stems ("bully" matches "bullied", "park" matches "parks"), spelling tolerance against the
 * keywords' own words ("bulying"), phrases with small gaps, and the respondent's self-description
 * left out. Negated mentions still count: this answers "is it about this", not "how strongly".
 * Used wherever the app sorts answers by keywords (splitting a theme), so that the app and the
 * engine never disagree about which answers a keyword covers.
 */
export function keywordPredicate(keywords: string[]): (text: string) => boolean {
	const codebook: Codebook = { themes: [{ id: 'k', label: '', keywords }] };
	const matcher = new KeywordMatcher(codebook);
	const speller = new Speller(codebookWords(codebook));
	return (text) => matcher.hits(analyse(text, speller)).length > 0;
}
