import { z } from 'zod';
import { envSwitch } from '../../analysis/switches';
import { answerTooLong } from '../../schemas/answer';
import { cleanText } from '../../schemas/text';
import type { SubmissionInput } from '../../schemas/submission';

/**
 * Whether the lean submission path's second round is on (issue 18, docs/deployment.md "Twenty-eighth round"):
 * SUBMIT_LEAN2=off gives the path before it, read at each use.
 */
export function lean2(): boolean {
	return envSwitch('SUBMIT_LEAN2') !== 'off';
}

/** zod's own UUID pattern (what z.uuid() checks), so that the check below accepts exactly the ids zod accepts. */
const UUID = z.core.regexes.uuid();
const QUESTION_KEY = /^q[1-9][0-9]?$/;
const LANGUAGE = /^[a-z]{2,3}$/;
const TOP = new Set(['id', 'district', 'perspectives', 'about', 'language']);
const ABOUT_CODES = ['ageBand', 'gender', 'disability', 'ethnicity', 'sexualOrientation'] as const;
const ABOUT = new Set<string>([...ABOUT_CODES, 'genderSelfDescribe']);

function plainObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

/** schemas/submission.ts's `code`: a string of 1 to 64 characters. */
function isCode(v: unknown): v is string {
	return typeof v === 'string' && v.length >= 1 && v.length <= 64;
}

/**
 * The submission schema's result for an ordinary, valid body, checked by hand instead of by zod (which was the
 * largest JavaScript stage before the grouped commit: with the consultation's own checks, 12–22 µs a submission
 * of the bench's body against 6–13 with this; scripts/bench/lib/submit-stages.ts). Exactly what `submissionSchema.safeParse(raw).data` gives, in the same
 * key order (the answers in the order sent, so they are stored in the same order): the id lowercased, answers and
 * the self-described gender cleaned of control characters, unknown keys of a perspective never present. Anything
 * it is not sure of (an error of any kind, an unknown key, an object that JSON.parse did not make) gives null, and
 * the caller asks zod, which then words the errors as before. tests/submit-lean2.test.ts holds the two to the same
 * output over valid and broken bodies.
 */
export function fastSubmission(raw: unknown): SubmissionInput | null {
	if (!plainObject(raw)) return null;
	for (const k in raw) if (!TOP.has(k)) return null;
	const { id, district, perspectives, about, language } = raw;
	if (typeof id !== 'string' || !UUID.test(id)) return null;
	if (district !== undefined && district !== null && !isCode(district)) return null;
	if (language !== undefined && (typeof language !== 'string' || !LANGUAGE.test(language))) return null;
	if (!Array.isArray(perspectives) || perspectives.length < 1 || perspectives.length > 5) return null;
	const outPerspectives: SubmissionInput['perspectives'] = [];
	for (const p of perspectives) {
		if (!plainObject(p)) return null;
		let keys = 0;
		for (const k in p) {
			if (k !== 'group' && k !== 'answers') return null;
			keys++;
		}
		if (keys !== 2) return null;
		const { group, answers } = p;
		if (group !== null && !isCode(group)) return null;
		if (!plainObject(answers)) return null;
		const outAnswers: Record<string, string> = {};
		for (const key of Object.keys(answers)) {
			const text = answers[key];
			if (!QUESTION_KEY.test(key) || typeof text !== 'string' || answerTooLong(text)) return null;
			outAnswers[key] = cleanText(text);
		}
		outPerspectives.push({ group, answers: outAnswers });
	}
	let outAbout: SubmissionInput['about'] = about as null | undefined;
	if (about !== undefined && about !== null) {
		if (!plainObject(about)) return null;
		for (const k in about) if (!ABOUT.has(k)) return null;
		const a: NonNullable<SubmissionInput['about']> = {};
		// In the schema's order (zod's output follows its shape), only the keys that were sent.
		for (const k of ABOUT_CODES.slice(0, 2)) {
			if (!(k in about)) continue;
			const v = about[k];
			if (v !== null && !isCode(v)) return null;
			a[k] = v;
		}
		if ('genderSelfDescribe' in about) {
			const v = about.genderSelfDescribe;
			if (v !== null && (typeof v !== 'string' || v.length > 100)) return null;
			a.genderSelfDescribe = v === null ? null : cleanText(v);
		}
		for (const k of ABOUT_CODES.slice(2)) {
			if (!(k in about)) continue;
			const v = about[k];
			if (v !== null && !isCode(v)) return null;
			a[k] = v;
		}
		outAbout = a;
	}
	const out: SubmissionInput = { id: id.toLowerCase(), perspectives: outPerspectives };
	// zod's key order: id, district, perspectives, about, language (each only when sent).
	const ordered: Record<string, unknown> = { id: out.id };
	if ('district' in raw) ordered.district = district;
	ordered.perspectives = outPerspectives;
	if ('about' in raw) ordered.about = outAbout;
	if ('language' in raw) ordered.language = language;
	return ordered as SubmissionInput;
}
