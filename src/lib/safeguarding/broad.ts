/**
 * The recall-first part of the screen: any word of the harm vocabulary (vocabulary.ts) near a
 * personal or specific anchor. Returns one hit per vocabulary match with what decided it, so the
 * screen can flag, set a level and grade the risk score of answers it does not flag.
 */
import { tokenise, type Token } from './normalise';
import {
	ACCIDENT_WORDS,
	MEDICAL_WORDS,
	GENERAL_WORDS,
	IDIOM_PHRASES,
	JOKE_WORDS,
	NOT_PERSONAL_AFTER_MY,
	OPINION_VERBS,
	PAST_WORDS,
	PERSON_NOUNS,
	PLAY_WORDS,
	RESOLVED_PHRASES,
	GENERIC_PERSON,
	FAMILY_NOUNS,
	SELF_ANCHORS,
	THIRD_PERSON,
	VOCABULARY,
	type VocabEntry
} from './vocabulary';
import type { Category } from './lexicon';

export interface BroadHit {
	entry: VocabEntry;
	first: number;
	last: number;
	/** Anchored to a specific person and not general talk, play, an idiom or negated. */
	anchored: boolean;
	/** Why an unanchored hit was not counted (for the graded score and for tests). */
	reason: 'anchored' | 'no-anchor' | 'general' | 'negated' | 'play' | 'idiom' | 'cue' | 'hypothetical' | 'resolved';
	/** The anchor is the speaker (I/me/my) rather than another specific person. */
	self: boolean;
	past: boolean;
	joke: boolean;
}

const stems = (words: string) => tokenise(words.replace(/_/g, ' '), false).map((t) => t.stem);
const stemSet = (list: string) =>
	new Set(
		list
			.split(/\s+/)
			.filter(Boolean)
			.flatMap((w) => stems(w))
	);
/** Multi-word markers (written with "_") become stem sequences. */
const seqs = (list: string): Map<string, string[][]> => {
	const index = new Map<string, string[][]>();
	for (const w of list.split(/\s+/).filter(Boolean)) {
		const s = stems(w);
		if (s.length) index.set(s[0], [...(index.get(s[0]) ?? []), s]);
	}
	return index;
};

/** An empty list for index misses (no array allocated per token looked up). */
const NONE: readonly never[] = [];

const NEGATORS = stemSet('not never no noone nobody neither nor without');

interface Compiled {
	entry: VocabEntry;
	seq: string[];
	cue: Set<string> | null;
	/** Entries that contain their own negation ("not safe", "nobody is home") are never cancelled by it. */
	negatable: boolean;
}

const seenEntry = new Set<string>();
const compiled: Compiled[] = VOCABULARY.map((entry) => ({
	entry,
	seq: stems(entry.words),
	cue: entry.cue ? stemSet(entry.cue) : null,
	negatable: entry.negatable !== false
}))
	.map((c) => ({ ...c, negatable: c.negatable && !c.seq.some((x) => NEGATORS.has(x)) }))
	.filter((c) => {
		// "hit", "hits" and "hitting" are one stem: keep the first entry of each category and stem sequence.
		const key = c.entry.category + ':' + c.seq.join(' ');
		if (c.seq.length === 0 || seenEntry.has(key)) return false;
		seenEntry.add(key);
		return true;
	});

const byFirst = new Map<string, Compiled[]>();
for (const c of compiled) {
	const list = byFirst.get(c.seq[0]) ?? [];
	list.push(c);
	byFirst.set(c.seq[0], list);
}

const idioms = IDIOM_PHRASES.map(stems).filter((s) => s.length > 0);
const idiomByFirst = new Map<string, string[][]>();
for (const s of idioms) idiomByFirst.set(s[0], [...(idiomByFirst.get(s[0]) ?? []), s]);

const SELF = stemSet(SELF_ANCHORS);
const PERSON = stemSet(PERSON_NOUNS.replace(/_/g, ' '));
const THIRD = stemSet(THIRD_PERSON);
const NOT_PERSONAL = stemSet(NOT_PERSONAL_AFTER_MY);
const GENERAL = stemSet(GENERAL_WORDS);
const OPINION = stemSet(OPINION_VERBS.replace(/_\w+/g, ''));
const PLAY = seqs(PLAY_WORDS);
const ACCIDENT = seqs(ACCIDENT_WORDS);
const MEDICAL = seqs(MEDICAL_WORDS);
const PAST = seqs(PAST_WORDS);
const JOKE = stemSet(JOKE_WORDS);
// "kidding" stems to "kid", the same as "kids": a parent's "my kids" is not a joke marker.
JOKE.delete(stems('kids')[0]);
const JOKE_SEQ = seqs('just_kidding only_kidding am_kidding no_kidding_lol');
const BARRIERS = new Set([',', '.', ...stemSet('but and because so though although however until then when if')]);
const DETERMINERS = stemSet('my our his her their a an this one the that your two three four five six several');
const IF = stemSet('if whether');
const NOT_BEFORE_NUMBER = stemSet('for and to between under over than aged_between');
const MY = stemSet('my our');
/** Categories whose words are play in a game, sport or schoolwork sentence. Self-harm words only with a joke marker too. */
const PLAYABLE = new Set<Category>(['physical-abuse', 'threats', 'domestic-abuse', 'bullying', 'radicalisation']);
const RESOLVABLE = new Set<Category>(['bullying', 'missing-running-away', 'emotional-abuse']);
const RESOLVED = seqs(RESOLVED_PHRASES.map((p) => p.replace(/ /g, '_')).join(' '));
const GENERIC = stemSet(GENERIC_PERSON.replace(/_/g, ' '));
const FAMILY = stemSet(FAMILY_NOUNS);
const NOT_BEFORE_FAMILY = stemSet('a an every some any no');
const SPECIFIC_BEFORE_GENERIC = stemSet('my our this his her their one two three four five');
/** Categories whose weaker words are an injury or ailment in an accident or health sentence. */
const INJURY = new Set<Category>([
	'physical-abuse',
	'self-harm-suicide',
	'young-carer',
	'eating',
	'neglect',
	'fear-of-home',
	'domestic-abuse'
]);

/** All stems the vocabulary and markers use: the screen's spelling corrector corrects towards these and never away from them. */
export const HARM_WORDS: string[] = VOCABULARY.map((e) => e.words).filter((w) => /^[a-z]+$/.test(w) && w.length >= 3);
export const BROAD_WORDS: string[] = [
	...VOCABULARY.flatMap((e) => e.words.split(/\s+/)),
	...[
		SELF_ANCHORS,
		PERSON_NOUNS,
		THIRD_PERSON,
		GENERAL_WORDS,
		OPINION_VERBS,
		PLAY_WORDS,
		ACCIDENT_WORDS,
		PAST_WORDS,
		JOKE_WORDS
	].flatMap((l) => l.split(/[\s_]+/))
].filter((w) => /^[a-z]+$/.test(w));

function hasSeq(tokens: Token[], a: number, b: number, index: Map<string, string[][]>): boolean {
	for (let i = a; i <= b; i++)
		for (const s of index.get(tokens[i].stem) ?? NONE) {
			if (i + s.length - 1 > b) continue;
			let ok = true;
			for (let k = 1; k < s.length; k++)
				if (tokens[i + k].stem !== s[k]) {
					ok = false;
					break;
				}
			if (ok) return true;
		}
	return false;
}

/** A parent's children as a group ("my children", "my kids"): a frame for a general worry, not one child. */
const PLURAL_KIDS = stemSet('children kids teenagers teens family');
/** "For my children, social media and online bullying": a topic frame, the answer's subject is the worry. */
const FRAME_BEFORE = stemSet('for with');
function topicFrame(tokens: Token[], my: number): boolean {
	return (
		MY.has(tokens[my]?.stem ?? '') &&
		PLURAL_KIDS.has(tokens[my + 1]?.stem ?? '') &&
		FRAME_BEFORE.has(tokens[my - 1]?.stem ?? '')
	);
}
/** Is token i "my children" / "my kids" (either word)? */
function pluralKidsAt(tokens: Token[], i: number): boolean {
	const s = tokens[i].stem;
	if (MY.has(s)) return PLURAL_KIDS.has(tokens[i + 1]?.stem ?? '');
	return PLURAL_KIDS.has(s) && MY.has(tokens[i - 1]?.stem ?? '');
}
/** The speaker as the object of what happens ("send me", "made us"). */
const OBJECT_SELF = stemSet('me us myself');
/** Worry and topic words: "my kids' biggest worry is online bullying" is a general worry, not a disclosure. */
const WORRY = stemSet(
	'worry worries worried worrying concern concerns concerned issue issues biggest main problem problems fear fears pressure pressures challenge challenges'
);
/** A harm word right after these is something the writer wants less of ("less bullying", "tackle knife crime"). */
const LESS = stemSet(
	'less fewer reduce reduced reducing reduction tackle tackling tackled prevent preventing prevention anti combat combating combatting stamp stamping'
);

/** Is token i a personal anchor? "my" before a place, or "I" before an opinion verb, is not. */
function anchorAt(tokens: Token[], i: number, specificSeen: boolean): 'self' | 'other' | null {
	const s = tokens[i].stem;
	const next = tokens[i + 1]?.stem ?? '';
	if (SELF.has(s)) {
		if (MY.has(s)) {
			if (NOT_PERSONAL.has(next)) return null;
			if (topicFrame(tokens, i)) return null;
			if (PERSON.has(next)) return 'other';
		}
		if (s === 'i' && OPINION.has(next)) return null;
		return 'self';
	}
	if (PERSON.has(s)) {
		const prev = tokens[i - 1]?.stem ?? '';
		const prev2 = tokens[i - 2]?.stem ?? '';
		if (topicFrame(tokens, i - 1)) return null;
		if (FAMILY.has(s) && !NOT_BEFORE_FAMILY.has(prev)) return 'other';
		if (GENERIC.has(s))
			return SPECIFIC_BEFORE_GENERIC.has(prev) ||
				SPECIFIC_BEFORE_GENERIC.has(prev2) ||
				/^\d+$/.test(prev) ||
				/^\d+$/.test(prev2) ||
				prev === 'year' ||
				prev2 === 'year'
				? 'other'
				: null;
		if (
			DETERMINERS.has(prev) ||
			/^\d+$/.test(prev) ||
			/^\d+$/.test(prev2) ||
			prev === 'year' ||
			prev2 === 'year' ||
			DETERMINERS.has(prev2)
		)
			return 'other';
		return null;
	}
	if (THIRD.has(s) && specificSeen) return 'other';
	if (
		/^\d+$/.test(s) &&
		(tokens[i + 1]?.stem === 'year' || tokens[i - 1]?.stem === 'year') &&
		!NOT_BEFORE_NUMBER.has(tokens[i - 1]?.stem ?? '')
	)
		return 'other';
	return null;
}

function sentenceRanges(tokens: Token[]): [number, number][] {
	const out: [number, number][] = [];
	let a = 0;
	for (let i = 0; i <= tokens.length; i++) {
		if (i === tokens.length || tokens[i].stem === '.') {
			if (i > a) out.push([a, i - 1]);
			a = i + 1;
		}
	}
	return out;
}

function negated(tokens: Token[], first: number, last: number, a: number): boolean {
	for (let i = first; i <= last; i++) if (NEGATORS.has(tokens[i].stem)) return true;
	for (let i = first - 1, seen = 0; i >= a && seen < 4; i--, seen++) {
		if (BARRIERS.has(tokens[i].stem)) break;
		if (NEGATORS.has(tokens[i].stem)) return true;
	}
	return false;
}

/**
 * "if i tell, he will hurt me", "if i dont she burns me": an "if" clause about what the speaker does,
 * followed by what someone else then does, is a threat or a pattern of abuse, not a hypothetical.
 */
const THREAT_SUBJECT = stemSet('he she they');
const SPEAKER = stemSet('i we');
const WILL = stemSet('will would going gonna');
function conditionalThreat(tokens: Token[], from: number, to: number): boolean {
	const speakerIf = SPEAKER.has(tokens[from + 1]?.stem ?? '');
	for (let k = from + 1; k < to; k++)
		if (THREAT_SUBJECT.has(tokens[k].stem) && (speakerIf || WILL.has(tokens[k + 1]?.stem ?? ''))) return true;
	return false;
}

/** The writer's own child: "my son", "our daughter", "my kids", "my 13-year-old", "as a parent". */
const OWN_CHILD = stemSet(
	'son sons daughter daughters child children kid kids boy boys girl girls baby toddler teenager teen stepson stepdaughter eldest youngest'
);
const PARENT_WORD = stemSet('parent mum mother dad father carer');
function namesOwnChild(tokens: Token[]): boolean {
	for (let i = 0; i < tokens.length - 1; i++) {
		const s = tokens[i].stem;
		if (MY.has(s)) {
			const next = tokens[i + 1].stem;
			if (OWN_CHILD.has(next) || (/^\d+$/.test(next) && tokens[i + 2]?.stem === 'year')) return true;
		}
		if (s === 'as' && tokens[i + 1].stem === 'a' && PARENT_WORD.has(tokens[i + 2]?.stem ?? '')) return true;
	}
	return false;
}
/** The fear word's experiencer is the speaker: "I'm scared", "I am more terrified", "my nightmare". */
function speakerFears(tokens: Token[], i: number, a: number): boolean {
	if (i - 1 >= a && MY.has(tokens[i - 1].stem)) return true;
	for (let k = i - 1; k >= Math.max(a, i - 3); k--) {
		const s = tokens[k].stem;
		if (SPEAKER.has(s)) return true;
		if (s === ',' || PERSON.has(s) || THIRD.has(s)) return false;
	}
	return false;
}

const LEFT = 8;
const PLAY_NEAR = 8;
const RIGHT = 6;

/** Find every vocabulary word in the tokens and decide whether it is anchored. */
export function broadHits(tokens: Token[]): BroadHit[] {
	const out: BroadHit[] = [];
	const answerHasSpecific = tokens.some((t, i) => anchorAt(tokens, i, false) !== null);
	// A specific other person named anywhere in the answer ("A Year 3 boy ...", "Two girls from the
	// estate (13 and 14) ...") anchors the strongest words of the whole answer: practitioners and
	// parents name the child once and then describe what happens.
	const answerNamesOther = tokens.some((t, i) => PERSON.has(t.stem) && anchorAt(tokens, i, false) === 'other');
	let speakerIsParent: boolean | null = null;
	for (const [a, b] of sentenceRanges(tokens)) {
		// Idiom spans in this sentence.
		const inIdiom = new Uint8Array(b - a + 1);
		for (let i = a; i <= b; i++)
			for (const s of idiomByFirst.get(tokens[i].stem) ?? NONE) {
				if (i + s.length - 1 > b) continue;
				let ok = true;
				for (let k = 1; k < s.length; k++)
					if (tokens[i + k].stem !== s[k]) {
						ok = false;
						break;
					}
				if (ok) for (let k = 0; k < s.length; k++) inIdiom[i - a + k] = 1;
			}
		// The sentence's context (play, accident, past...) is read only once a vocabulary word is found in
		// it: most sentences have none, and these scans were a fifth of the screen's time.
		let play = false,
			accident = false,
			medical = false,
			past = false,
			resolved = false,
			joke = false,
			contextRead = false;
		for (let i = a; i <= b; i++) {
			for (const c of byFirst.get(tokens[i].stem) ?? NONE) {
				const last = i + c.seq.length - 1;
				if (last > b) continue;
				let ok = true;
				for (let k = 1; k < c.seq.length; k++)
					if (tokens[i + k].stem !== c.seq[k]) {
						ok = false;
						break;
					}
				if (!ok) continue;
				if (!contextRead) {
					contextRead = true;
					play = hasSeq(tokens, a, b, PLAY);
					accident = hasSeq(tokens, a, b, ACCIDENT);
					medical = hasSeq(tokens, a, b, MEDICAL);
					past = hasSeq(tokens, a, b, PAST);
					resolved = hasSeq(tokens, a, b, RESOLVED);
					for (let j = a; j <= Math.min(b + 2, tokens.length - 1); j++) if (JOKE.has(tokens[j].stem)) joke = true;
					if (!joke && hasSeq(tokens, a, Math.min(b + 3, tokens.length - 1), JOKE_SEQ)) joke = true;
				}
				const hit: BroadHit = {
					entry: c.entry,
					first: i,
					last,
					anchored: false,
					reason: 'no-anchor',
					self: false,
					past,
					joke
				};
				out.push(hit);
				let idiom = true;
				for (let k = i; k <= last; k++) if (!inIdiom[k - a]) idiom = false;
				if (idiom) {
					hit.reason = 'idiom';
					continue;
				}
				// Play only near the harm word ("killing me in minecraft"), not anywhere in a long sentence
				// ("a man at the gym keeps telling me … get ready for a war").
				if (
					play &&
					hasSeq(tokens, Math.max(a, i - PLAY_NEAR), Math.min(b, last + PLAY_NEAR), PLAY) &&
					(PLAYABLE.has(c.entry.category) || (joke && c.entry.category === 'self-harm-suicide'))
				) {
					hit.reason = 'play';
					continue;
				}
				if ((accident || (medical && c.entry.weight < 3)) && INJURY.has(c.entry.category)) {
					hit.reason = 'play';
					continue;
				}
				if (resolved && RESOLVABLE.has(c.entry.category)) {
					hit.reason = 'resolved';
					continue;
				}
				if (c.negatable && negated(tokens, i, last, a)) {
					hit.reason = 'negated';
					continue;
				}
				// "if anyone ever tried to make me get married": a hypothetical, not a disclosure.
				let hypothetical = false;
				for (let k = i - 1; k >= Math.max(a, i - 10) && !hypothetical; k--)
					if (IF.has(tokens[k].stem)) hypothetical = !conditionalThreat(tokens, k, i);
				// "kms if i have to do one more maths test lmao": hyperbole.
				if (joke)
					for (let k = last + 1; k <= Math.min(b, last + 4) && !hypothetical; k++)
						if (IF.has(tokens[k].stem)) hypothetical = true;
				if (hypothetical) {
					hit.reason = 'hypothetical';
					continue;
				}
				// "less bullying", "tackle online bullying": something the writer wants less of.
				let less = false;
				for (let k = Math.max(a, i - 2); k < i && !less; k++) if (LESS.has(tokens[k].stem)) less = true;
				if (less) {
					hit.reason = 'general';
					continue;
				}
				// "I'm terrified of group chats", "my 17-year-old is learning to drive and I'm more scared of
				// that": a parent's own fear for their child is a worry, not a child's fear of home.
				if (c.entry.category === 'fear-of-home' && c.entry.weight < 3 && speakerFears(tokens, i, a)) {
					if (speakerIsParent === null) speakerIsParent = namesOwnChild(tokens);
					if (speakerIsParent) {
						hit.reason = 'general';
						continue;
					}
				}
				if (c.cue) {
					let cued = false;
					for (let k = Math.max(a, i - 5); k <= Math.min(b, last + 5) && !cued; k++)
						if (c.cue.has(tokens[k].stem)) cued = true;
					if (!cued) {
						hit.reason = 'cue';
						continue;
					}
				}
				// Anchor inside the phrase itself ("kill myself", "hits me"), else the nearest anchor or
				// general word around it: a general word nearer on the left makes it general talk.
				let anchor: 'self' | 'other' | null = null;
				let anchorIdx = -1;
				for (let k = i; k <= last && !anchor; k++) if ((anchor = anchorAt(tokens, k, answerHasSpecific))) anchorIdx = k;
				let general = false;
				if (!anchor) {
					for (let d = 1; d <= LEFT && !anchor && !general; d++) {
						const k = i - d;
						if (k >= a) {
							// "a Year 10 girl I support": after "I" or "we" a general word is a verb, not a topic.
							if (
								GENERAL.has(tokens[k].stem) &&
								!MY.has(tokens[k - 1]?.stem ?? '') &&
								!SPEAKER.has(tokens[k - 1]?.stem ?? '')
							)
								general = true;
							else if ((anchor = anchorAt(tokens, k, answerHasSpecific))) anchorIdx = k;
						}
						if (!anchor && !general && d <= RIGHT && last + d <= b) {
							const r = last + d;
							if (
								GENERAL.has(tokens[r].stem) &&
								d <= 2 &&
								!DETERMINERS.has(tokens[r - 1]?.stem ?? '') &&
								!SPEAKER.has(tokens[r - 1]?.stem ?? '')
							)
								general = true;
							else if ((anchor = anchorAt(tokens, r, answerHasSpecific))) anchorIdx = r;
						}
					}
				}
				// "my kids' biggest worry is online bullying": a parent's worry about their children in general.
				if (anchor && anchorIdx >= 0 && pluralKidsAt(tokens, anchorIdx)) {
					for (let k = a; k <= b && !general; k++) if (WORRY.has(tokens[k].stem)) general = true;
				}
				// "they send me on the train to other towns with packages": the speaker as the object of what
				// happens, in the same clause, outweighs a general word nearer to the harm word.
				if (general && !anchor) {
					for (let k = Math.max(a, i - LEFT); k <= Math.min(b, last + RIGHT) && !anchor; k++) {
						if (!OBJECT_SELF.has(tokens[k].stem)) continue;
						let barrier = false;
						for (let j = Math.min(k, i) + 1; j < Math.max(k, last); j++) if (tokens[j].stem === ',') barrier = true;
						if (!barrier && anchorAt(tokens, k, answerHasSpecific) === 'self') {
							anchor = 'self';
							general = false;
						}
					}
				}
				if (general) {
					hit.reason = 'general';
					continue;
				}
				if (!anchor && c.entry.anchorless) anchor = 'self';
				if (!anchor && c.entry.weight === 3 && answerNamesOther) anchor = 'other';
				if (!anchor) continue;
				hit.anchored = true;
				hit.reason = 'anchored';
				hit.self = anchor === 'self';
			}
		}
	}
	return out;
}

/**
 * Whether a phrase-pattern match (lexicon.ts) at tokens first..last is not a disclosure after all:
 * inside an idiom or policy phrase ("services have been cut"), play in a game or sport sentence, or
 * in a sentence with a general subject and no personal anchor at all.
 */
export function phraseIsOrdinaryTalk(
	tokens: Token[],
	first: number,
	last: number,
	category: Category,
	_level: 'urgent' | 'review'
): boolean {
	let a = first;
	while (a > 0 && tokens[a - 1].stem !== '.') a--;
	let b = last;
	while (b < tokens.length - 1 && tokens[b + 1].stem !== '.') b++;
	for (let i = Math.max(a, first - 6); i <= last; i++)
		for (const s of idiomByFirst.get(tokens[i].stem) ?? NONE) {
			const end = i + s.length - 1;
			if (end > b || end < first) continue;
			let ok = true;
			for (let k = 1; k < s.length; k++)
				if (tokens[i + k].stem !== s[k]) {
					ok = false;
					break;
				}
			if (ok) return true;
		}
	let joke = false;
	for (let i = a; i <= Math.min(b + 2, tokens.length - 1); i++) if (JOKE.has(tokens[i].stem)) joke = true;
	if (!joke && hasSeq(tokens, a, Math.min(b + 3, tokens.length - 1), JOKE_SEQ)) joke = true;
	if ((PLAYABLE.has(category) || (joke && category === 'self-harm-suicide')) && hasSeq(tokens, a, b, PLAY)) return true;
	if (INJURY.has(category) && hasSeq(tokens, a, b, ACCIDENT)) return true;
	if (RESOLVABLE.has(category) && hasSeq(tokens, a, b, RESOLVED)) return true;
	for (let k = first - 1; k >= Math.max(a, first - 10); k--) if (IF.has(tokens[k].stem)) return true;
	let anchored = false;
	let general = false;
	for (let i = a; i <= b; i++) {
		if (anchorAt(tokens, i, false)) anchored = true;
		else if (GENERAL.has(tokens[i].stem)) general = true;
	}
	return general && !anchored;
}

/**
 * The answer says the child is young (12 or under): "im 8", "i am in year 5", "he's only 3",
 * "my 10 year old". A young child's answer is flagged on less and flagged urgent.
 */
export function mentionsYoungChild(tokens: Token[]): boolean {
	for (let i = 0; i < tokens.length; i++) {
		const s = tokens[i].stem;
		if (!/^\d+$/.test(s)) continue;
		const n = Number(s);
		const prev = tokens[i - 1]?.stem ?? '';
		const next = tokens[i + 1]?.stem ?? '';
		if (prev === 'year' && n >= 1 && n <= 7) return true;
		if (n < 2 || n > 12) continue;
		// "My son (8)", "my daughter, 7,": an age straight after the person it belongs to.
		if (PERSON.has(prev) || (prev === ',' && PERSON.has(tokens[i - 2]?.stem ?? ''))) return true;
		if (next === 'year' && tokens[i + 2]?.stem === 'old' && !NOT_BEFORE_NUMBER.has(prev)) return true;
		if (AGE_BEFORE.has(prev)) return true;
	}
	return false;
}
const AGE_BEFORE = stemSet('am is are aged age only just');

/**
 * The answer says the person is a child of 13 to 17 ("im 14", "a 15 year old", "a Year 10 girl"):
 * an anchored harm word flags on less, as for a younger child, but is not urgent for that alone.
 */
export function mentionsMinor(tokens: Token[]): boolean {
	for (let i = 0; i < tokens.length; i++) {
		const s = tokens[i].stem;
		if (!/^\d+$/.test(s)) continue;
		const n = Number(s);
		const prev = tokens[i - 1]?.stem ?? '';
		const next = tokens[i + 1]?.stem ?? '';
		if (prev === 'year' && n >= 8 && n <= 13) return true;
		if (n < 13 || n > 17) continue;
		if (PERSON.has(prev) || (prev === ',' && PERSON.has(tokens[i - 2]?.stem ?? ''))) return true;
		if (next === 'year' && tokens[i + 2]?.stem === 'old' && !NOT_BEFORE_NUMBER.has(prev)) return true;
		if (AGE_BEFORE.has(prev)) return true;
	}
	return false;
}

/** Ongoing or happening now ("every night", "again", "since", "last night", "this week", "still"). */
const ONGOING = seqs(
	'every everi always keeps keep again constantly twice nightly daily regularly since still last_night this_week tonight right_now at_the_moment currently most_weekends all_the_time times'
);
export function ongoingIn(tokens: Token[], a: number, b: number): boolean {
	return hasSeq(tokens, a, b, ONGOING);
}

/** Is there a personal or specific anchor anywhere in the sentence around token `at`? */
export function sentenceHasAnchor(tokens: Token[], at: number): boolean {
	let a = at;
	while (a > 0 && tokens[a - 1].stem !== '.') a--;
	let b = at;
	while (b < tokens.length - 1 && tokens[b + 1].stem !== '.') b++;
	const specific = tokens.some((t, i) => anchorAt(tokens, i, false) !== null);
	for (let i = a; i <= b; i++) if (anchorAt(tokens, i, specific)) return true;
	return false;
}

/** Words of a relationship or contact between two people ("seeing", "going out with", "picks her up"). */
const RELATIONSHIP = stemSet(
	'seeing see dating date going boyfriend girlfriend picks pick meets meet meeting messages messaging talking sleeping stays staying relationship'
);
/**
 * An age gap: the answer names a child of 17 or under and an adult by age ("my mate is 14 and shes
 * seeing a 30 year old"), with a word of a relationship or contact. A sign of sexual exploitation
 * whatever words are used for it. Returns the adult's age token, or -1.
 */
export function ageGap(tokens: Token[]): number {
	if (!mentionsMinor(tokens)) return -1;
	let adult = -1;
	for (let i = 0; i < tokens.length && adult < 0; i++) {
		if (!/^\d+$/.test(tokens[i].stem)) continue;
		const n = Number(tokens[i].stem);
		if (
			n >= 19 &&
			n <= 80 &&
			tokens[i + 1]?.stem === 'year' &&
			tokens[i + 2]?.stem === 'old' &&
			!NOT_BEFORE_NUMBER.has(tokens[i - 1]?.stem ?? '')
		)
			adult = i;
	}
	if (adult < 0) return -1;
	for (let i = Math.max(0, adult - 6); i <= Math.min(tokens.length - 1, adult + 8); i++)
		if (RELATIONSHIP.has(tokens[i].stem)) return adult;
	return -1;
}
