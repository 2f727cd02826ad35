/**
 * Safeguarding screen: flags answers that may disclose harm, for a person to read, riskiest first.
 *
 * screenAnswer(text) -> { level: 'urgent' | 'review' | null, matches, categories, score }
 *
 * Recall first (issue #10). Two sources of matches over one normalised token stream (normalise.ts:
 * contractions, slang, spelling of words of 3+ letters by edit distance and sound-alike keys, real-word
 * slips, Porter stems):
 *  - the broad vocabulary (vocabulary.ts, broad.ts): any harm word of a category near a personal or
 *    specific anchor, unless general talk, an idiom, play, an accident, negated, hypothetical or resolved;
 *  - the phrase patterns (lexicon.ts), which set levels precisely for common wordings, passed through the
 *    same context checks plus their own idiom, negation, past-tense, joke and accident rules.
 * The answer's level is the highest of its matches; the score grades all the evidence, flagged or not.
 * docs/safeguarding-and-privacy.md section 1 describes the rules and the measured figures.
 *
 * Deterministic, no I/O.
 */
import { IDIOMS, LEXICON, MACROS, type Category, type LexiconEntry, type Level } from './lexicon';
import { setKnownWords, soundKey, stemWord, tokenise, type Token } from './normalise';
import {
	BROAD_WORDS,
	HARM_WORDS,
	ageGap,
	broadHits,
	mentionsMinor,
	mentionsYoungChild,
	ongoingIn,
	phraseIsOrdinaryTalk,
	sentenceHasAnchor,
	type BroadHit
} from './broad';

import { BUILT_IN_MODEL } from './model/index';
import { vectorSignals } from './vectors';
import { FAMILY_NOUNS, SELF_ANCHORS, THIRD_PERSON } from './vocabulary';

/**
 * Word-vector signals (vectors.ts): `signals` adds them to what the models read; `gate` lets the disclosure
 * model flag at its review threshold when the vectors put a sentence near harm although no vocabulary word
 * was seen (otherwise it needs its urgent threshold). The weights file says which its models were trained
 * with; the training script switches them to measure both (docs/safeguarding-and-privacy.md, section 1).
 */
export interface VectorOptions {
	signals: boolean;
	gate: boolean;
}
let vectorOptions: VectorOptions = BUILT_IN_MODEL.vectors ?? { signals: false, gate: false };

/** For the training script: which word-vector signals the screen computes from now on (see VectorOptions). */
export function useVectorSignals(options: VectorOptions): void {
	vectorOptions = options;
}

/**
 * The sentence-aware design (issue #10, 1 Dec 2026 evening): `sentences` has the disclosure model read each
 * sentence of a longer answer on its own as well (its text and what the screen saw in it) and take the
 * highest probability, so a disclosure buried after an ordinary suggestion is not diluted by the rest;
 * `pairs` adds word-order signals near a person (the words just after and before I/me/my, a family word or
 * he/she, and the words in a negation's scope). The weights file says which its models were trained with.
 */
export interface DesignOptions {
	sentences: boolean;
	pairs: boolean;
}
let designOptions: DesignOptions = BUILT_IN_MODEL.design ?? { sentences: false, pairs: false };

/** For the training script: which design the screen uses from now on (see DesignOptions). */
export function useDesign(options: DesignOptions): void {
	designOptions = options;
}

export type { Category, Level } from './lexicon';

/** A model the screen consults: probability from the text and the screen's signals, and its thresholds. */
export interface ScreenModel {
	probability: (text: string, signals: readonly string[]) => number;
	/** Probability at which the model raises a `review` flag. */
	review: number;
	/** Probability at which, with a cue of current risk, the flag is `urgent`. */
	urgent: number;
	/**
	 * The calibrated level: probability that the answer is an *urgent* disclosure (a second model, trained
	 * with only urgent disclosures as positives), and the probability at which a `review` flag (from the
	 * lexicon or the model) becomes `urgent`. Absent: levels as the lexicon and `urgent` above set them.
	 */
	urgentProbability?: (text: string, signals: readonly string[]) => number;
	raiseToUrgent?: number;
	/** The urgent model's probability at which a flag from the disclosure model alone is `urgent`. */
	raiseModelOnly?: number;
	/**
	 * Second reading for the order of unflagged answers: the urgent model (signals only, a different view
	 * of the answer from the disclosure model's n-grams) is asked about every answer, and an unflagged
	 * answer's score reads "either model would worry a reader" (1 − (1 − p)(1 − pu)). Levels unchanged.
	 */
	rankWithUrgent?: boolean;
}

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
	/** Distinct categories of the matches, in order of first appearance. */
	categories: Category[];
	/** Risk in 0..1 that orders the reading list: higher is read sooner. Unflagged answers score low but not zero. */
	score: number;
}

/** Words a `~N` gap may not cross: general subjects that make a phrase a comment about others. */
const GENERAL_WORDS = [
	'kid',
	'kids',
	'people',
	'children',
	'child',
	'who',
	'young',
	'student',
	'students',
	'pupils',
	'they',
	'them',
	'anyone',
	'anybody',
	'everyone',
	'someone',
	'teenagers',
	'teens',
	'others',
	'those',
	'person',
	'families',
	'parents',
	'if',
	'should',
	'need',
	'needs',
	'about',
	'more',
	'help',
	'support'
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

/** Joke markers: urgent becomes review; nothing is dropped, a person reads it. */
const JOKE_MARKERS = [
	'lol|lool|lolol|lolz|lmao|lmfao|rofl|haha|hahaha|hahah|hehe|jk|xd|xx',
	'just kid|joking',
	'only joking|kidding'
];
/** Accident or sport context: self-directed injury matches become review ("fell off my bike and hurt myself"). */
const ACCIDENT_MARKERS = [
	'fell|fall|falling|tripped|trip|slipped|crashed|crash|accident|accidentally|injury|injured|sprained|broke|broken',
	'playing|play|match|training|rugby|football|netball|hockey|boxing|pe|trampoline|trampolining|skateboard|skatepark|bike|scooter|gym|dance|swimming|cricket|sport|sports'
];
/** Resolution: the speaker says it is over ("it got sorted", "I'm fine now"). */
const RESOLVED_MARKERS = [
	'fine|ok|okay|alright|better|happier|good|safe|sorted|happy now',
	'got|get|been|is|was|were|all sorted|resolved|stopped|dealt_with',
	'much happier|better',
	'not anymore'
];
/** Categories where two different review-level signs in one answer raise it to urgent. */
const ESCALATE = new Set<Category>([
	'physical-abuse',
	'sexual-abuse',
	'sexual-exploitation-grooming',
	'criminal-exploitation',
	'domestic-abuse'
]);
/** Categories a resolution marker may cancel (a past, resolved bullying or running-away episode). */
const RESOLVABLE = new Set<Category>(['bullying', 'missing-running-away']);
/** Phrases treated as self-directed injury, which an accident context lowers. */
const ACCIDENT_PRONE = new Set(['hurt myself', 'injures own body', 'harm word near family member and me']);

/**
 * Catch-all: within one clause, a harm word plus a family member plus the speaker
 * ("me", "us", "i", "myself") gives a review match even when no phrase pattern fits.
 */
const CATCH_ALL_HARM: Record<string, Category> = {};
for (const w of 'hit hits hitting punch punches punched kick kicks kicked slap slaps slapped smack smacks smacked beat beats beaten batter battered whack whacked strangle strangled choke choked hurt hurts hurting bruise bruises bruised threaten threatens threatened knife belt scared afraid frightened terrified unsafe abuse abused abusive lock locks locked'.split(
	' '
))
	CATCH_ALL_HARM[w] = 'physical-abuse';
for (const w of 'touch touches touched touching grope groped rape raped molest molested naked privates'.split(' '))
	CATCH_ALL_HARM[w] = 'sexual-abuse';
for (const w of 'starve starves starving starved hungry'.split(' ')) CATCH_ALL_HARM[w] = 'neglect';
const CATCH_ALL_FAMILY = (
	'mum mom mam mother mummy dad daddy father stepdad stepmum stepfather stepmother uncle aunt auntie nan gran grandma grandad ' +
	'grandpa brother sister stepbrother stepsister cousin parent parents carer boyfriend girlfriend partner husband wife ex teacher coach man men'
).split(' ');
const CATCH_ALL_SELF = ['me', 'us', 'i', 'myself'];

interface Compiled {
	entry: LexiconEntry;
	re: RegExp;
	/** Stems of which at least one must be present for the pattern to match. */
	triggers: string[];
	required: string[][];
}

const COMMON = new Set(
	[
		'i',
		'me',
		'us',
		'my',
		'to',
		'the',
		'a',
		'an',
		'is',
		'at',
		'of',
		'in',
		'not',
		'no',
		'he',
		'she',
		'they',
		'her',
		'him',
		'it',
		'on',
		'for',
		'be',
		'am',
		'are',
		'was',
		'were',
		'been',
		'being',
		'get',
		'got',
		'we',
		'our',
		'them',
		'his',
		'their',
		'all',
		'up',
		'out'
	].map(stemWord)
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
	/** For each required element, the stems of which one must be present (a cheap pre-check). */
	required: string[][];
}

function parsePattern(pattern: string): Parsed {
	let source = '(?<= )';
	let best: string[] | null = null;
	let bestScore = -Infinity;
	const required: string[][] = [];
	for (const part of pattern.trim().split(/\s+/)) {
		const gap = /^([*~])(\d+)$/.exec(part);
		if (gap) {
			const n = Number(gap[2]);
			source += gap[1] === '*' ? `(?:[^ ,.]+ ){0,${n}}` : `(?:(?!(?:${GENERAL_RE}) )[^ ,.]+ ){0,${n}}`;
			continue;
		}
		const optional = part.startsWith('?');
		const alts = expandAlternatives(optional ? part.slice(1) : part);
		const body = `(?:${[...new Set(alts.map(altToRegex))].join('|')}) `;
		source += optional ? `(?:${body})?` : body;
		if (!optional && !alts.includes('#')) {
			const stems = [...new Set(alts.map((a) => stemWord(a.split(/[_ ]/)[0].toLowerCase())))];
			required.push(stems);
			// Prefer an element of uncommon words with few alternatives as the trigger.
			const common = stems.some((s) => COMMON.has(s));
			const score = (common ? -1000 : 0) - stems.length;
			if (score > bestScore) {
				bestScore = score;
				best = stems;
			}
		}
	}
	return { source, triggers: best ?? [], required };
}

function compile(pattern: string): { re: RegExp; triggers: string[]; required: string[][] } {
	const p = parsePattern(pattern);
	return { re: new RegExp(p.source, 'g'), triggers: p.triggers, required: p.required };
}

function allElementsPresent(required: string[][], present: Set<string>): boolean {
	for (const stems of required) {
		let found = false;
		for (const s of stems)
			if (present.has(s)) {
				found = true;
				break;
			}
		if (!found) return false;
	}
	return true;
}

const compiled: Compiled[] = LEXICON.map((entry) => ({ entry, ...compile(entry.pattern) }));
const idioms = IDIOMS.map((p) => compile(p));
const pastMarkers = PAST_MARKERS.map((p) => compile(p).re);
const jokeMarkers = JOKE_MARKERS.map((p) => compile(p).re);
const accidentMarkers = ACCIDENT_MARKERS.map((p) => compile(p).re);
const resolvedMarkers = RESOLVED_MARKERS.map((p) => compile(p).re);
const catchAllHarm = new Map(Object.entries(CATCH_ALL_HARM).map(([w, c]) => [stemWord(w), c] as const));
const catchAllFamily = new Set(CATCH_ALL_FAMILY.map(stemWord));
const catchAllSelf = new Set(CATCH_ALL_SELF.map(stemWord));
const GENERAL = new Set(GENERAL_WORDS.map(stemWord));
const YOUNG = new Set(['little', 'baby', 'younger', 'small', 'toddler'].map(stemWord));
const SIBLING = new Set(['brother', 'sister', 'cousin', 'stepbrother', 'stepsister'].map(stemWord));
setKnownWords([...rawPatternWords, ...BROAD_WORDS], HARM_WORDS);

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

function first(tokens: Token[], i: number, set: Set<string>): boolean {
	return set.has(tokens[i].stem);
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

function testAny(res: RegExp[], sentence: string): boolean {
	return res.some((re) => {
		re.lastIndex = 0;
		return re.test(sentence);
	});
}

interface SentenceContext {
	past: boolean;
	joke: boolean;
	accident: boolean;
	resolved: boolean;
}

/** Context flags of the sentence that starts at token `a` (a joke marker may also open the next sentence). */
function sentenceContext(tokens: Token[], a: number, b: number): SentenceContext {
	const sentence =
		' ' +
		tokens
			.slice(a, b + 1)
			.map((t) => t.stem)
			.join(' ') +
		' ';
	let joke = testAny(jokeMarkers, sentence);
	if (!joke && b + 2 < tokens.length) joke = testAny(jokeMarkers, ' ' + tokens[b + 2].stem + ' ');
	return {
		past: testAny(pastMarkers, sentence),
		joke,
		accident: testAny(accidentMarkers, sentence),
		resolved: testAny(resolvedMarkers, sentence)
	};
}

/** Clause-level catch-all: harm word + family member + speaker, no general subject, not negated. */
function catchAll(tokens: Token[], covered: (i: number) => boolean): Hit[] {
	const out: Hit[] = [];
	let a = 0;
	for (let i = 0; i <= tokens.length; i++) {
		const end = i === tokens.length || tokens[i].stem === '.' || tokens[i].stem === ',' || tokens[i].stem === 'but';
		if (!end) continue;
		let harm = -1,
			fam = -1,
			self = -1,
			general = false;
		for (let k = a; k < i; k++) {
			const s = tokens[k].stem;
			if (harm < 0 && catchAllHarm.has(s)) harm = k;
			else if (catchAllFamily.has(s)) fam = fam < 0 ? k : fam;
			else if (catchAllSelf.has(s)) self = self < 0 ? k : self;
			else if (GENERAL.has(s)) general = true;
		}
		if (harm >= 0 && fam >= 0 && self >= 0 && !general && !covered(harm) && !isNegated(tokens, harm, harm)) {
			const category = catchAllHarm.get(tokens[harm].stem)!;
			out.push({
				entry: { phrase: 'harm word near family member and me', category, level: 'review', pattern: '' },
				first: Math.min(harm, fam, self),
				last: Math.max(harm, fam, self)
			});
		}
		a = i + 1;
	}
	return out;
}

/** What the screen saw in an answer, as the model's named features (the training script uses this). */
export function screenSignals(text: string): string[] {
	return screenMatches(text).signals;
}

/** Screen one answer for possible safeguarding disclosures (the lexicon screen and the built-in model). */
export function screenAnswer(text: string): ScreenResult {
	return screenAnswerWith(text, BUILT_IN_MODEL);
}

/**
 * The screen with a given model (or none: the lexicon screen alone). The model only adds: a `review`
 * flag when its probability reaches `review`, `urgent` when it reaches `urgent` and the screen saw a
 * cue of current risk or a young person; it never lowers a level the lexicon screen set. Its
 * probability also grades the risk score. The training script uses this to measure a model trained
 * on one writer's set against the other's.
 */
export function screenAnswerWith(text: string, model: ScreenModel | null): ScreenResult {
	const screened = screenMatches(text);
	const live = model && typeof text === 'string' && text.trim();
	let p = live ? model.probability(text, screened.signals) : 0;
	// Sentence-aware: the most worrying sentence on its own (a disclosure buried in an ordinary answer).
	let ps = 0;
	if (live && screened.sentences)
		for (const s of screened.sentences) ps = Math.max(ps, model.probability(s.text, s.signals));
	if (ps > p) p = ps;
	// The urgent model is asked only when its answer can change something: a review flag, from the
	// lexicon or from the disclosure model, that it may raise.
	const pu =
		live &&
		model.urgentProbability &&
		(screened.level === 'review' || (screened.level === null && (p >= model.review || model.rankWithUrgent)))
			? model.urgentProbability(text, screened.signals)
			: 0;
	return withModel(screened, p, model, pu);
}

/** What the lexicon screen saw in one answer, before any model (the training script sweeps thresholds over it). */
export function screenLexicon(text: string): Screened {
	return screenMatches(text);
}

/** The screen's verdict from what the lexicon saw and the model's probability `p` (see screenAnswerWith). */
export function withModel(screened: Screened, p: number, model: ScreenModel | null, pu = 0): ScreenResult {
	const { matches, evidence } = screened;
	let level = screened.level;
	const categories = [...new Set(matches.map((m) => m.category))];
	// Calibrated level: a review flag the lexicon raised whose wording the urgent model scores high is
	// urgent (current risk worded in a way the lexicon's level rules do not know). Only ever raises; a
	// flag from the model alone is urgent only by its own rule below.
	if (model?.raiseToUrgent !== undefined && level === 'review' && pu >= model.raiseToUrgent) level = 'urgent';
	// The model flags only answers the lexicon screen left unflagged and did not explicitly set aside
	// (its harm words all negated, resolved, hypothetical, an idiom, play or general talk): those
	// rules are precise, and the model's value is wording the vocabulary does not have. It never
	// lowers or removes a level the lexicon screen set. With no harm word at all it needs the higher
	// threshold (short first-person answers from children otherwise look like disclosures to it).
	if (
		model &&
		level === null &&
		!screened.setAside &&
		p >= (screened.seen.length || screened.nearHarm ? model.review : model.urgent)
	) {
		// Urgent when the disclosure model is sure and the screen saw a cue of current risk or a young
		// person, or when the urgent model reads current risk at its own (higher) threshold for a flag
		// the lexicon did not raise: at the lexicon's 0.6 it also raised grief and family talk the
		// model alone had flagged ("My grandad died and I miss him", 0.66) to the top of the list.
		level =
			(p >= model.urgent && screened.urgentCue) || (model.raiseModelOnly !== undefined && pu >= model.raiseModelOnly)
				? 'urgent'
				: 'review';
		// A model-only flag names the vocabulary categories the screen saw but did not count (an
		// unanchored harm word), or says it is the wording the model learned.
		categories.push(...(screened.seen.length ? screened.seen : (['learned-wording'] as const)));
	}
	// The order of unflagged answers may also read the urgent model (rankWithUrgent); a flag's score does not.
	const pr = level === null && model?.rankWithUrgent ? 1 - (1 - p) * (1 - pu) : p;
	return { level, matches, categories, score: riskScore(level, evidence, pr, model !== null) };
}

/**
 * Risk score in 0..1: urgent answers in 0.8..1, review in 0.5..0.8, unflagged in 0..0.45, each graded
 * by the evidence (how many harm words, how strong, how close to a person) and the model's
 * probability, as "either would worry a reader", so near-misses such as an unanchored or negated
 * harm word, or wording like disclosures the model learned from, rank above plain answers.
 *
 * An unflagged answer, when there is a model, is ordered by the model's probability alone: the model already
 * reads what the lexicon saw (its hits and why each was set aside are among its signals, weighed from the
 * writers' labels), and adding the evidence again by hand lifted adult answers full of negated or general harm
 * words ("nobody was hurt", "services for self harm") above disclosures the lexicon has no word for.
 * Leave-one-writer-out over nine writers (`cross --order-scales`, docs section 1): ordering mean 94.3% → 96.5%,
 * worst 91.3% → 93.3%; flags and levels unchanged. Without a model (p = 0) the evidence orders them, as before.
 */
function riskScore(level: Level | null, evidence: number, p: number, model: boolean): number {
	const g = (scale: number) => 1 - (1 - p) * Math.exp(-evidence / scale);
	const raw =
		level === 'urgent' ? 0.8 + 0.2 * g(8) : level === 'review' ? 0.5 + 0.3 * g(8) : model ? 0.45 * p : 0.45 * g(5);
	return Math.round(raw * 1e4) / 1e4;
}

/** Reasons a harm word was set aside: when all the words of an answer have one, the model may not flag it. */
const SET_ASIDE = new Set<BroadHit['reason']>(['negated', 'resolved', 'hypothetical', 'idiom', 'play', 'general']);

/** Which broad hits count as a cue of current risk for an urgent flag from the model. */
const URGENT_CUE_REASONS = new Set<BroadHit['reason']>(['anchored', 'no-anchor', 'cue']);

/**
 * Named features for the model from what the screen saw: the corrected, stemmed words (so "ded"
 * and "dead" are one feature), and each vocabulary hit's category, word and why it was or was not
 * counted (anchored, general talk, play, negated...). The model learns how much each weighs, and
 * so generalises past the exact wording of its training answers.
 */
function modelSignals(tokens: Token[], broad: BroadHit[]): string[] {
	const out: string[] = [];
	let self = 0;
	for (const t of tokens) {
		if (t.stem === '.' || t.stem === ',') continue;
		for (const name of wordSignals(t.stem)) out.push(name);
		if (SELF_STEMS.has(t.stem)) self++;
	}
	// Shape, not wording: how personal and how long the answer is.
	out.push(`self:${Math.min(self, 4)}`, `len:${Math.min(Math.floor(tokens.length / 8), 5)}`);
	for (const h of broad) {
		out.push(`c:${h.entry.category}`, `c:${h.entry.category}:${h.reason}`, `r:${h.reason}`, `w:${h.entry.words}`);
		if (h.anchored) out.push(h.self ? 'anchor:self' : 'anchor:other');
		if (h.past) out.push('past');
		if (h.joke) out.push('joke');
	}
	if (mentionsYoungChild(tokens)) out.push('young');
	return out;
}

const wordSignalCache = new Map<string, string[]>();
/**
 * A word's signals: the stem and, beside it, a sound-alike key (Metaphone), so a spelling the
 * correction did not reach ("hungree", "skard") still shares a feature with the word the model
 * learned. Cached per stem: answers repeat most words.
 */
function wordSignals(stem: string): string[] {
	let out = wordSignalCache.get(stem);
	if (out === undefined) {
		out = [`t:${stem}`];
		if (stem.length >= 3 && /^[a-z]+$/.test(stem)) out.push(`k:${soundKey(stem)}`);
		if (wordSignalCache.size > 100_000) wordSignalCache.clear();
		wordSignalCache.set(stem, out);
	}
	return out;
}

const SELF_STEMS = new Set(['i', 'me', 'my', 'myself', 'im', 'we', 'us', 'our'].map(stemWord));

/** Signals that sum up the screen's verdict: how many categories were seen, a cue of current risk, everything set aside. */
function verdictSignals(signals: string[], seen: readonly Category[], urgentCue: boolean, setAside: boolean): string[] {
	signals.push(`seen:${Math.min(seen.length, 3)}`);
	if (urgentCue) signals.push('cue');
	if (setAside) signals.push('aside');
	return signals;
}

/** How much each kind of broad hit adds to the evidence behind the score. */
const EVIDENCE: Record<BroadHit['reason'], number> = {
	anchored: 1,
	'no-anchor': 0.4,
	cue: 0.3,
	hypothetical: 0.3,
	resolved: 0.3,
	negated: 0.2,
	general: 0.15,
	play: 0.1,
	idiom: 0.05
};

/**
 * The broad vocabulary's verdict on one answer: a sentence is flagged when an anchored word of
 * weight 3 is in it, or anchored words adding up to 4 or more (2 when the answer says the child is
 * 17 or under: "im 14", "my son (8)", "a Year 10 girl"). It is urgent when that word may be urgent,
 * or the signs add up to 5, or the child is 17 or under, or the sentence says it is ongoing or
 * happening now ("every playtime", "again", "last night"), unless the sentence is set in the past or
 * marked as a joke.
 */
function broadMatches(text: string, tokens: Token[], hits: BroadHit[]): SafeguardingMatch[] {
	const young = mentionsYoungChild(tokens);
	const minor = young || mentionsMinor(tokens);
	const bySentence = new Map<number, BroadHit[]>();
	for (const h of hits) {
		if (!h.anchored) continue;
		const a = sentenceBounds(tokens, h.first)[0];
		bySentence.set(a, [...(bySentence.get(a) ?? []), h]);
	}
	const out: SafeguardingMatch[] = [];
	for (const list of bySentence.values()) {
		// One weight per token position: overlapping entries ("hit" and "hits me") count once, at the
		// higher weight; a word repeated in the sentence ("young carer ... young carers club") counts once.
		const weightAt = new Map<number, number>();
		const seen = new Set<string>();
		for (const h of list) {
			if (seen.has(h.entry.words)) continue;
			seen.add(h.entry.words);
			weightAt.set(h.first, Math.max(weightAt.get(h.first) ?? 0, h.entry.weight));
		}
		let sum = 0;
		for (const w of weightAt.values()) sum += w;
		const strongest = Math.max(...weightAt.values());
		if (strongest < 3 && sum < (minor ? 2 : 4)) continue;
		const [sa, sb] = sentenceBounds(tokens, list[0].first);
		// Ongoing or happening now ("every playtime", "again", "last night"): current risk, urgent.
		const ongoing = ongoingIn(tokens, sa, sb);
		const urgentSentence =
			sum >= 5 || minor || (ongoing && sum >= 2) || list.some((h) => h.entry.urgent && h.entry.weight === 3);
		for (const h of list) {
			if (h.entry.weight < 2 && strongest < 3 && sum < 5) continue;
			const level: Level = urgentSentence && !h.past && !h.joke ? 'urgent' : 'review';
			out.push({
				phrase: h.entry.words,
				category: h.entry.category,
				excerpt: excerptFor(text, tokens, h.first, h.last),
				level,
				start: tokens[h.first].start,
				end: tokens[h.last].end
			});
		}
	}
	return out;
}

export interface Screened extends Pick<ScreenResult, 'level' | 'matches'> {
	evidence: number;
	/** What the screen saw, as named features for the model (see modelSignals). */
	signals: string[];
	/** The sentence-aware design: each sentence of an answer of two or more, its text and signals. */
	sentences?: { text: string; signals: string[] }[];
	/** A cue that the risk is current or to a young person (for an urgent flag from the model). */
	urgentCue: boolean;
	/** Categories of every vocabulary word seen, counted or not. */
	seen: Category[];
	/** Every harm word seen was set aside by a context rule (negated, resolved, hypothetical, idiom, play, general). */
	setAside: boolean;
	/**
	 * With the vector gate on: the word vectors put a sentence above the 99th percentile of ordinary text for
	 * a harm category, or a word near a harm word beside an anchor.
	 */
	nearHarm: boolean;
}

function screenMatches(text: string): Screened {
	const none = {
		level: null,
		matches: [],
		evidence: 0,
		signals: [],
		urgentCue: false,
		seen: [],
		setAside: false,
		nearHarm: false
	};
	if (typeof text !== 'string' || text.trim() === '') return none;
	const tokens = tokenise(text).filter((t, i, all) => t.stem !== '.' || (i > 0 && all[i - 1].stem !== '.'));
	if (tokens.length === 0) return none;
	const broad = broadHits(tokens);
	let evidence = 0;
	for (const h of broad) evidence += h.entry.weight * EVIDENCE[h.reason];
	const signals = modelSignals(tokens, broad);
	if (designOptions.pairs) pairSignals(tokens, 0, tokens.length - 1, signals);
	const sentences = designOptions.sentences ? sentenceParts(text, tokens, broad) : undefined;
	let nearHarm = false;
	if (vectorOptions.signals) {
		const vec = vectorSignals(tokens);
		for (const v of vec) signals.push(v);
		nearHarm = vectorOptions.gate && (vec.includes('vs:any:2') || vec.some((v) => v.endsWith(':anchor')));
	}
	const urgentCue =
		mentionsMinor(tokens) ||
		ongoingIn(tokens, 0, tokens.length - 1) ||
		broad.some((h) => h.entry.urgent && !h.past && !h.joke && URGENT_CUE_REASONS.has(h.reason));
	const seen = [...new Set(broad.map((h) => h.entry.category))];
	const setAside = broad.length > 0 && broad.every((h) => SET_ASIDE.has(h.reason) || h.past);
	const present = new Set<string>();
	for (const t of tokens) present.add(t.stem);

	const candidates = new Set<number>();
	for (const s of present) {
		const list = byTrigger.get(s);
		if (list) for (const i of list) candidates.add(i);
	}

	let joined = ' ';
	const tokenAt = new Map<number, number>();
	tokens.forEach((t, i) => {
		tokenAt.set(joined.length, i);
		joined += t.stem + ' ';
	});

	const hits: Hit[] = [];
	for (const i of [...candidates].sort((a, b) => a - b)) {
		const c = compiled[i];
		if (!allElementsPresent(c.required, present)) continue;
		for (const [first, last] of spans(c.re, joined, tokenAt)) hits.push({ entry: c.entry, first, last });
	}

	// Idioms that cancel overlapping matches.
	const idiomSpans: [number, number][] = [];
	const idiomCandidates = new Set<number>();
	for (const s of present) for (const i of idiomByTrigger.get(s) ?? []) idiomCandidates.add(i);
	for (const i of idiomCandidates)
		if (allElementsPresent(idioms[i].required, present)) idiomSpans.push(...spans(idioms[i].re, joined, tokenAt));
	const inIdiom = (first: number, last: number) => idiomSpans.some(([a, b]) => a <= last && b >= first);

	// Catch-all for clauses no pattern matched.
	const covered = (k: number) => hits.some((h) => h.first <= k && h.last >= k) || inIdiom(k, k);
	hits.push(...catchAll(tokens, covered));

	const kept: (SafeguardingMatch & { plain: boolean })[] = [];
	const ctxCache = new Map<number, SentenceContext>();
	for (const h of hits) {
		if (inIdiom(h.first, h.last)) continue;
		if (phraseIsOrdinaryTalk(tokens, h.first, h.last, h.entry.category, h.entry.level)) continue;
		if (h.entry.anchored && !sentenceHasAnchor(tokens, h.first)) continue;
		if (h.entry.negatable !== false && isNegated(tokens, h.first, h.last)) continue;
		const [a, b] = sentenceBounds(tokens, h.first);
		let ctx = ctxCache.get(a);
		if (ctx === undefined) {
			ctx = sentenceContext(tokens, a, b);
			ctxCache.set(a, ctx);
		}
		const category = h.entry.category;
		let level: Level | null = h.entry.level;
		// A younger sibling hitting is usually ordinary family life: review, not urgent.
		if (
			level === 'urgent' &&
			category === 'physical-abuse' &&
			first(tokens, h.first, SIBLING) &&
			h.first > 0 &&
			YOUNG.has(tokens[h.first - 1].stem)
		)
			level = 'review';
		if (level === 'urgent' && ctx.past && h.entry.downgrade !== false) level = 'review';
		if (ACCIDENT_PRONE.has(h.entry.phrase) && ctx.accident) level = ctx.resolved ? null : 'review';
		if (level && RESOLVABLE.has(category) && ctx.resolved) level = null;
		// A joke marker lowers urgent to review but never drops a match: a child may add "lol" to a real disclosure.
		if (level && ctx.joke) level = 'review';
		if (!level) continue;
		evidence += level === 'urgent' ? 4 : 2;
		kept.push({
			plain: !ctx.past && !ctx.joke,
			phrase: h.entry.phrase,
			category: h.entry.category,
			excerpt: excerptFor(text, tokens, h.first, h.last),
			level,
			start: tokens[h.first].start,
			end: tokens[h.last].end
		});
	}
	for (const m of broadMatches(text, tokens, broad)) kept.push({ ...m, plain: false });
	const gap = ageGap(tokens);
	if (gap >= 0) {
		kept.push({
			plain: false,
			phrase: 'a child and an adult by age, in a relationship or contact',
			category: 'sexual-exploitation-grooming',
			excerpt: excerptFor(text, tokens, gap, gap + 2),
			level: 'urgent',
			start: tokens[gap].start,
			end: tokens[gap + 2].end
		});
	}
	for (const m of kept) signals.push(`l:${m.category}:${m.level}`);
	if (kept.length === 0)
		return {
			...none,
			evidence,
			signals: verdictSignals(signals, seen, urgentCue, setAside),
			urgentCue,
			seen,
			setAside,
			nearHarm,
			sentences
		};

	// Two different review-level signs of abuse or exploitation in one answer: urgent.
	const signs = kept.filter((m) => m.level === 'review' && m.plain && ESCALATE.has(m.category));
	// One span per phrase (its longest); a phrase whose span nests inside another's is the same sign.
	const longest = new Map<string, SafeguardingMatch>();
	for (const m of signs) {
		const o = longest.get(m.phrase);
		if (!o || m.end - m.start > o.end - o.start) longest.set(m.phrase, m);
	}
	const spansByPhrase = [...longest.values()];
	const distinct = spansByPhrase.filter(
		(m) =>
			!spansByPhrase.some(
				(o) =>
					o !== m && o.start <= m.start && o.end >= m.end && (o.start < m.start || o.end > m.end || o.phrase < m.phrase)
			)
	);
	if (distinct.length >= 2 && !kept.some((m) => m.level === 'urgent')) {
		for (const m of signs) {
			m.level = 'urgent';
			m.phrase += ' (several signs together)';
		}
	}

	// Drop matches covered by another of the same category at an equal or higher level.
	kept.sort((x, y) => RANK[y.level] - RANK[x.level] || x.start - y.start || y.end - x.end);
	const matches: SafeguardingMatch[] = [];
	for (const m of kept) {
		const covered = matches.some(
			(o) => o.category === m.category && o.start <= m.start && o.end >= m.end && RANK[o.level] >= RANK[m.level]
		);
		if (!covered)
			matches.push({
				phrase: m.phrase,
				category: m.category,
				excerpt: m.excerpt,
				level: m.level,
				start: m.start,
				end: m.end
			});
	}
	matches.sort((x, y) => x.start - y.start || RANK[y.level] - RANK[x.level]);
	const level = matches.some((m) => m.level === 'urgent') ? 'urgent' : 'review';
	if (!urgentCue && level === 'urgent') signals.push('urgent');
	const cue = urgentCue || level === 'urgent';
	return {
		level,
		matches,
		evidence,
		signals: verdictSignals(signals, seen, cue, setAside),
		urgentCue: cue,
		seen,
		setAside,
		nearHarm,
		sentences
	};
}

/** Stems that make the words beside them worth a word-order signal: the speaker, family, he/she. */
const PAIR_ANCHOR = new Map<string, string>();
for (const w of SELF_ANCHORS.split(' ')) PAIR_ANCHOR.set(stemWord(w), 'self');
for (const w of FAMILY_NOUNS.split(' ')) PAIR_ANCHOR.set(stemWord(w), 'fam');
for (const w of THIRD_PERSON.split(' ')) PAIR_ANCHOR.set(stemWord(w), 'he');
const PAIR_AFTER = 3;
const PAIR_BEFORE = 2;

/**
 * Word order near a person (the sentence-aware design's `pairs`): each word within three after and two
 * before an anchor in its clause ("dad … hits" and "hits me" become `pa:fam:hit`, `pb:self:hit`), and the
 * words in a negation's scope up to a barrier (`ng:hit`), so "he never hits me" and "he hits me" differ.
 */
function pairSignals(tokens: Token[], a: number, b: number, out: string[]): void {
	for (let i = a; i <= b; i++) {
		const stem = tokens[i].stem;
		const cls = PAIR_ANCHOR.get(stem);
		if (cls) {
			for (let j = i + 1; j <= b && j <= i + PAIR_AFTER; j++) {
				const s = tokens[j].stem;
				if (s === '.' || s === ',') break;
				if (!PAIR_ANCHOR.has(s)) out.push(`pa:${cls}:${s}`);
			}
			for (let j = i - 1; j >= a && j >= i - PAIR_BEFORE; j--) {
				const s = tokens[j].stem;
				if (s === '.' || s === ',') break;
				if (!PAIR_ANCHOR.has(s)) out.push(`pb:${cls}:${s}`);
			}
		} else if (NEG.has(stem)) {
			for (let j = i + 1; j <= b && j <= i + NEGATION_LOOKBACK; j++) {
				const s = tokens[j].stem;
				if (BARRIER.has(s)) break;
				out.push(`ng:${s}`);
			}
		}
	}
}

/** The sentences of an answer of two or more (the sentence-aware design), each with its own signals. */
function sentenceParts(
	text: string,
	tokens: Token[],
	broad: BroadHit[]
): { text: string; signals: string[] }[] | undefined {
	const bounds: [number, number][] = [];
	let a = 0;
	for (let i = 0; i <= tokens.length; i++) {
		if (i === tokens.length || tokens[i].stem === '.') {
			if (i > a) bounds.push([a, i - 1]);
			a = i + 1;
		}
	}
	if (bounds.length < 2) return undefined;
	return bounds.map(([x, y]) => {
		const part = tokens.slice(x, y + 1);
		const hits = broad.filter((h) => h.first >= x && h.first <= y);
		const signals = modelSignals(part, hits);
		if (designOptions.pairs) pairSignals(part, 0, part.length - 1, signals);
		signals.push('sentence', `seen:${Math.min(new Set(hits.map((h) => h.entry.category)).size, 3)}`);
		return { text: text.slice(tokens[x].start, tokens[y].end), signals };
	});
}
