/**
 * Self-description is context, not content. "As a parent, more buses" is about buses: the words
 * the respondent uses to say who they are ("As a parent,", "I'm a mum of two and", "speaking as a
 * youth worker", "as a foster carer") must not become theme evidence or learner features, or every
 * parent's answer gets coded "Family". The words stay in the stored text; only the engine skips
 * them. An answer that is *about* family ("my family is most important to me") has no
 * self-description and keeps its words.
 *
 * Pure and deterministic; works on the raw word tokens of normalised text (`normalise` in text.ts)
 * and on whether punctuation followed each word, because "As a parent, staff were kind" ends the
 * self-description at the comma.
 */
import { TOKEN_GAP, TOKEN_GAP_CAPTURE, normalise, pushTokens } from './text';

/** Cheap test: could the text hold a self-description at all? (Most answers cannot.) */
const OPENER = /(?:^|[^a-z0-9'])(?:as|i'?m|i|we|we're)(?:[^a-z0-9']|$)/;

/** Nouns that name who someone is (singular; a plural "parents", "carers" is also accepted). */
const ROLE_HEADS = new Set([
	'parent',
	'mum',
	'mom',
	'mam',
	'mummy',
	'mother',
	'dad',
	'daddy',
	'father',
	'stepmum',
	'stepdad',
	'stepparent',
	'grandparent',
	'grandmother',
	'grandfather',
	'grandma',
	'grandad',
	'granddad',
	'nan',
	'gran',
	'guardian',
	'carer',
	'childminder',
	'nanny',
	'teacher',
	'headteacher',
	'head',
	'tutor',
	'lecturer',
	'teaching',
	'assistant',
	'ta',
	'worker',
	'practitioner',
	'professional',
	'nurse',
	'visitor',
	'doctor',
	'gp',
	'officer',
	'senco',
	'governor',
	'volunteer',
	'leader',
	'coach',
	'manager',
	'councillor',
	'counsellor',
	'therapist',
	'psychologist',
	'midwife',
	'resident',
	'member',
	'staff',
	'child',
	'kid',
	'teenager',
	'teen',
	'person',
	'adult',
	'student',
	'pupil',
	'girl',
	'boy',
	'woman',
	'man',
	'lady',
	'family',
	'families',
	'grandparents',
	'adopter',
	'father',
	'provider'
]);
/** Words that may come before the head ("single parent", "youth worker", "foster carer"). */
const ROLE_MODIFIERS = new Set([
	'single',
	'lone',
	'working',
	'foster',
	'fostering',
	'adoptive',
	'step',
	'young',
	'youth',
	'social',
	'support',
	'family',
	'school',
	'primary',
	'secondary',
	'nursery',
	'early',
	'years',
	'health',
	'mental',
	'local',
	'community',
	'church',
	'scout',
	'guide',
	'sports',
	'football',
	'play',
	'care',
	'residential',
	'special',
	'needs',
	'sen',
	'send',
	'class',
	'classroom',
	'learning',
	'teaching',
	'key',
	'parish',
	'town',
	'county',
	'district',
	'retired',
	'former',
	'full',
	'part',
	'time',
	'busy',
	'proud',
	'concerned',
	'worried',
	'disabled',
	'kinship',
	'older',
	'new',
	'first',
	'teenage',
	'working',
	'of',
	'two',
	'three',
	'four',
	'five',
	'grand',
	'mother',
	'father',
	'police',
	'nhs',
	'council',
	'staff',
	'member',
	'camhs',
	'children',
	'childrens',
	'young',
	'peoples',
	'people',
	'person',
	'home',
	'educated',
	'home',
	'parent',
	'carer',
	'child',
	'grandparent'
]);
/** What may follow "of" in "mum of two", "parent of three young children", "member of staff". */
const OF_WORDS = new Set([
	'a',
	'an',
	'one',
	'two',
	'three',
	'four',
	'five',
	'six',
	'seven',
	'eight',
	'twins',
	'young',
	'little',
	'small',
	'teenage',
	'teenagers',
	'disabled',
	'school',
	'aged',
	'age',
	'primary',
	'secondary',
	'children',
	'child',
	'kids',
	'kid',
	'boys',
	'boy',
	'girls',
	'girl',
	'sons',
	'son',
	'daughters',
	'daughter',
	'staff',
	'toddlers',
	'toddler',
	'baby',
	'babies',
	'the',
	'my',
	'own'
]);
/** Last word a complement after "of" may end on. */
const OF_ENDS = new Set([
	'one',
	'two',
	'three',
	'four',
	'five',
	'six',
	'seven',
	'eight',
	'twins',
	'teenagers',
	'children',
	'child',
	'kids',
	'kid',
	'boys',
	'boy',
	'girls',
	'girl',
	'sons',
	'son',
	'daughters',
	'daughter',
	'staff',
	'toddlers',
	'toddler',
	'baby',
	'babies'
]);
const DETERMINERS = new Set(['a', 'an', 'the', 'one']);

/** Is `w` a role head, singular or plural ("parents", "youth workers")? */
function isHead(w: string): boolean {
	return ROLE_HEADS.has(w) || (w.endsWith('s') && ROLE_HEADS.has(w.slice(0, -1)));
}

/**
 * Length of the role phrase starting at `i` ("a single parent", "youth workers", "a mum of two"),
 * 0 when there is none. Does not cross punctuation.
 */
function rolePhrase(words: string[], punct: boolean[], i: number): number {
	let j = i;
	if (j < words.length && DETERMINERS.has(words[j]) && !punct[j]) j++;
	// The longest run (≤ 5 words) of modifiers and heads that ends on a head.
	let end = -1;
	for (let k = j; k < words.length && k < j + 5; k++) {
		const w = words[k];
		if (w === 'of' || !(ROLE_MODIFIERS.has(w) || isHead(w))) break;
		// "people" names a role only after a modifier ("young people", not "such as people").
		if (isHead(w) || (w === 'people' && k > j)) end = k;
		if (punct[k]) break;
	}
	if (end < 0) return 0;
	let stop = end + 1;
	// "... of two", "... of three young children", "member of staff".
	if (!punct[end] && words[stop] === 'of') {
		let last = -1;
		for (let k = stop + 1; k < words.length && k < stop + 5; k++) {
			if (!OF_WORDS.has(words[k])) break;
			if (OF_ENDS.has(words[k])) last = k;
			if (punct[k]) break;
		}
		if (last > 0) stop = last + 1;
	}
	// "a parent and a teacher": another role joined by "and". Only with "a"/"an", so that "I'm a
	// mum of two and staff were kind" keeps "staff were kind".
	if (
		!punct[stop - 1] &&
		words[stop] === 'and' &&
		!punct[stop] &&
		(words[stop + 1] === 'a' || words[stop + 1] === 'an')
	) {
		const more = rolePhrase(words, punct, stop + 1);
		if (more > 0) stop = stop + 1 + more;
	}
	return stop - i;
}

/** Openers of a self-description, as word sequences ("i'm" arrives as one raw token). */
const AS_OPENERS: string[][] = [['speaking', 'as'], ['as']];
const I_AM_OPENERS: string[][] = [
	['i', 'am'],
	["i'm"],
	['im'],
	['we', 'are'],
	["we're"],
	['i', 'work', 'as'],
	['i', 'was']
];

function startsWith(words: string[], punct: boolean[], i: number, seq: string[]): boolean {
	for (let k = 0; k < seq.length; k++) {
		if (words[i + k] !== seq[k]) return false;
		if (k < seq.length - 1 && punct[i + k]) return false;
	}
	return true;
}

/**
 * Index ranges [start, end) of the raw words that are a self-description.
 *
 * - "as (a|an|the)? ROLE" (also "speaking as", "being"): "As a parent, …", "speaking as a youth
 *   worker", "as foster carers we …", "as a mum of two, …". ("Being a teenager is hard" is
 *   about being a teenager, so "being" is not an opener.)
 * - "I'm / I am / we are (a|an)? ROLE", with a following "and": "I'm a mum of two and I think …",
 *   "I'm a youth worker and the kids need …".
 * A ROLE is up to five modifier and head words ending on a head ("single parent", "family support
 * worker"), optionally "of" + a count or children ("mum of two", "parent of three young children")
 * and another role after "and a". Nothing crosses punctuation.
 */
export function selfDescriptionRanges(words: string[], punct: boolean[]): [number, number][] {
	const out: [number, number][] = [];
	for (let i = 0; i < words.length; i++) {
		const w = words[i];
		if (w !== 'as' && w !== 'speaking' && w !== 'i' && w !== "i'm" && w !== 'im' && w !== 'we' && w !== "we're")
			continue;
		let found = 0;
		for (const seq of AS_OPENERS)
			if (startsWith(words, punct, i, seq) && !punct[i + seq.length - 1]) {
				const n = rolePhrase(words, punct, i + seq.length);
				if (n > 0) {
					found = seq.length + n;
					break;
				}
			}
		if (!found)
			for (const seq of I_AM_OPENERS)
				if (startsWith(words, punct, i, seq) && !punct[i + seq.length - 1]) {
					const n = rolePhrase(words, punct, i + seq.length);
					if (n > 0) {
						found = seq.length + n;
						break;
					}
				}
		if (!found) continue;
		let end = i + found;
		// "… and I think", "… myself, …": the joining word belongs to the self-description.
		if (!punct[end - 1] && (words[end] === 'myself' || words[end] === 'ourselves')) end++;
		if (!punct[end - 1] && words[end] === 'and') end++;
		out.push([i, end]);
		i = end - 1;
	}
	return out;
}

/**
 * The raw word tokens of already-normalised text (as `text.split(TOKEN_GAP)` gives them) with the
 * self-description words left out. The common case, no self-description, returns all words.
 */
export function contentWords(normalised: string): string[] {
	if (!OPENER.test(normalised)) return normalised.split(TOKEN_GAP).filter((w) => w !== '');
	const parts = normalised.split(TOKEN_GAP_CAPTURE);
	// parts alternate word, gap, word, gap, …; the first and last word may be ''.
	const words: string[] = [];
	const punct: boolean[] = [];
	for (let p = 0; p < parts.length; p += 2) {
		if (!parts[p]) continue;
		words.push(parts[p]);
		const gap = parts[p + 1];
		punct.push(gap !== undefined && /[^\s]/.test(gap));
	}
	const ranges = selfDescriptionRanges(words, punct);
	if (!ranges.length) return words;
	const out: string[] = [];
	let r = 0;
	for (let i = 0; i < words.length; i++) {
		while (r < ranges.length && ranges[r][1] <= i) r++;
		if (r < ranges.length && ranges[r][0] <= i) continue;
		out.push(words[i]);
	}
	return out;
}

/** The self-descriptions in a text, as the respondent wrote them (lower-cased), e.g. for display and tests. */
export function findSelfDescriptions(normalised: string): string[] {
	const parts = normalised.split(TOKEN_GAP_CAPTURE);
	const words: string[] = [];
	const punct: boolean[] = [];
	for (let p = 0; p < parts.length; p += 2) {
		if (!parts[p]) continue;
		words.push(parts[p]);
		const gap = parts[p + 1];
		punct.push(gap !== undefined && /[^\s]/.test(gap));
	}
	return selfDescriptionRanges(words, punct).map(([s, e]) => words.slice(s, e).join(' '));
}

/** `tokenize(text)` (text.ts) without the self-description: the tokens the engine codes on. */
export function contentTokens(text: string): string[] {
	const out: string[] = [];
	for (const raw of contentWords(normalise(text))) pushTokens(raw, out);
	return out;
}
