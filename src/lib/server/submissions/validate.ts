import type { ConsultationView } from '../consultations/queries';
import type { FieldErrors, SubmissionInput } from '../../schemas/submission';
import { m } from '../../paraglide/messages';
import { AGE_BANDS_16_PLUS, EQUALITY_QUESTIONS, PREFER_NOT, type EqualityField } from '../../domain/equality';
import { answerTooLong } from '../../schemas/answer';

/**
 * Checks a schema-valid submission against one consultation: known groups,
 * districts and questions, at least one non-empty answer, each answer within
 * its question's limit, every required question answered (for each group
 * answered as), and equality answers that are real options of a question the
 * consultation asks. Returns field errors, empty when all is well, in the
 * request's language (the JSON API answers in the respondent's language).
 */
export function validateForConsultation(
	c: Pick<ConsultationView, 'groups' | 'districts' | 'questions'> & Partial<Pick<ConsultationView, 'aboutAsked'>>,
	input: SubmissionInput,
	opts: { allowUnknownGroup?: boolean } = {}
): FieldErrors {
	const errors: FieldErrors = {};
	const groups = new Set(c.groups.map((g) => g.code));
	const districts = new Set(c.districts.map((d) => d.code));
	const questions = new Map(c.questions.map((q) => [q.key, q]));

	if (input.district != null && !districts.has(input.district))
		errors.district = m.v_unknown_district({ value: input.district });

	const seenGroups = new Set<string | null>();
	let answered = 0;
	input.perspectives.forEach((p, i) => {
		if (p.group === null) {
			if (!opts.allowUnknownGroup) errors[`perspectives[${i}].group`] = m.v_choose_group();
		} else if (!groups.has(p.group)) {
			errors[`perspectives[${i}].group`] = m.v_unknown_group({ value: p.group });
		}
		if (seenGroups.has(p.group)) errors[`perspectives[${i}].group`] = m.v_group_twice({ value: String(p.group) });
		seenGroups.add(p.group);
		for (const [key, text] of Object.entries(p.answers)) {
			const q = questions.get(key);
			if (!q) errors[`perspectives[${i}].answers.${key}`] = m.v_unknown_question({ value: key });
			else if (answerTooLong(text, q.maxLength))
				errors[`perspectives[${i}].answers.${key}`] = m.v_too_long({ max: q.maxLength.toLocaleString('en-GB') });
			else if (text.trim() !== '') answered++;
		}
		// A hidden question is not asked of new respondents, so it cannot be required of them.
		for (const q of c.questions) {
			if (q.required && !q.hidden && !(p.answers[q.key] ?? '').trim())
				errors[`perspectives[${i}].answers.${q.key}`] ??= m.v_required();
		}
	});
	if (answered === 0 && Object.keys(errors).length === 0) {
		errors.perspectives = m.v_none();
	}

	const about = input.about;
	if (about) {
		const asked = new Set(c.aboutAsked ?? Object.keys(EQUALITY_QUESTIONS));
		for (const field of Object.keys(EQUALITY_QUESTIONS) as EqualityField[]) {
			const value = about[field];
			if (value == null) continue;
			if (!asked.has(field)) {
				errors[`about.${field}`] = m.v_not_asked();
				continue;
			}
			if (value === PREFER_NOT) continue;
			if (!EQUALITY_QUESTIONS[field].options.some((o) => o.code === value)) {
				errors[`about.${field}`] = m.v_not_option({ value });
			}
		}
		if (about.sexualOrientation != null && !mayAskSexualOrientation(input)) {
			errors['about.sexualOrientation'] = m.v_orientation_16();
		}
	}
	return errors;
}

/** Sexual orientation is asked only of respondents who say they are 16 or over. */
export function mayAskSexualOrientation(input: Pick<SubmissionInput, 'perspectives' | 'about'>): boolean {
	const band = input.about?.ageBand;
	return band != null && AGE_BANDS_16_PLUS.has(band) && input.perspectives.some((p) => p.group !== 'child');
}
