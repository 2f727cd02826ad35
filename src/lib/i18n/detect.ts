/**
 * The language an answer is written in, so that answers the theme engine cannot
 * read (it is trained on English) go to a person instead. Pure: no I/O.
 *
 * franc-all (wooorm's trigram detector, every language it knows) is asked to
 * choose only among the languages a UK council's families most often write in,
 * which makes short answers far more reliable than an open choice. Too short to
 * tell (a word or two) falls back to the language the survey was shown in.
 * The candidates' models are picked out of franc's table once (franc-among.ts), with franc's answers.
 */
import { francAmong } from './franc-among';

export { languageName } from './names';

/** ISO 639-3 (franc) → the two-letter codes used everywhere else. */
const CANDIDATES: Record<string, string> = {
	eng: 'en',
	cym: 'cy',
	pol: 'pl',
	urd: 'ur',
	ron: 'ro',
	pan: 'pa',
	ben: 'bn',
	guj: 'gu',
	arb: 'ar',
	lit: 'lt',
	lav: 'lv',
	bul: 'bg',
	por: 'pt',
	spa: 'es',
	fra: 'fr',
	ita: 'it',
	som: 'so',
	tur: 'tr',
	slk: 'sk',
	ces: 'cs',
	ukr: 'uk',
	rus: 'ru'
};

/** Fewer letters than this and trigrams say little: the survey's language is the better guess. */
const MIN_LETTERS = 20;

const guess = francAmong(Object.keys(CANDIDATES), MIN_LETTERS);

/**
 * The two-letter code of the language `text` is in. `uiLanguage` is the
 * survey's language when the answer was given (English when unknown).
 */
export function detectLanguage(text: string, uiLanguage: string | null = null): string {
	const fallback = uiLanguage ?? 'en';
	if (!enoughLetters(text)) return fallback;
	const found = guess(text);
	return CANDIDATES[found] ?? fallback;
}

/**
 * Whether `text` has at least MIN_LETTERS letters. SUBMIT_LEAN2 (issue 18; off: as before, read at each call on the
 * server): counted up to MIN_LETTERS and no further, instead of listing every letter of the text (an array as long
 * as the answer) to count them.
 */
function enoughLetters(text: string): boolean {
	if (globalThis.process?.env?.SUBMIT_LEAN2 === 'off') return (text.match(/\p{L}/gu)?.length ?? 0) >= MIN_LETTERS;
	const letter = /\p{L}/gu;
	let n = 0;
	while (letter.exec(text) !== null) if (++n >= MIN_LETTERS) return true;
	return false;
}

/** Whether the theme engine may code an answer in this language (null: an answer from before languages were kept). */
export function engineReads(language: string | null): boolean {
	return language === null || language === 'en';
}
