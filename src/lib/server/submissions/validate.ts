import type { ConsultationView } from '../consultations/queries';
import type { FieldErrors, SubmissionInput } from '../../schemas/submission';
import { m } from '../../paraglide/messages';
import { AGE_BANDS_16_PLUS, EQUALITY_QUESTIONS, PREFER_NOT, type EqualityField } from '../../domain/equality';

/**
 * Checks a schema-valid submission against one consultation: known groups,
 * districts and questions, at least one non-empty answer, and equality answers
 * that are real options. Returns field errors, empty when all is well, in the
 * request's language (the JSON API answers in the respondent's language).
 */
export function validateForConsultation(
	c: Pick<ConsultationView, 'groups' | 'districts' | 'questions'>,
	input: SubmissionInput,
	opts: { allowUnknownGroup?: boolean } = {}
): FieldErrors {
	const errors: FieldErrors = {};
	const groups = new Set(c.groups.map((g) => g.code));
	const districts = new Set(c.districts.map((d) => d.code));
	const questions = new Set(c.questions.map((q) => q.key));

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
			if (!questions.has(key)) errors[`perspectives[${i}].answers.${key}`] = m.v_unknown_question({ value: key });
			else if (text.trim() !== '') answered++;
		}
	});
	if (answered === 0 && Object.keys(errors).length === 0) {
		errors.perspectives = m.v_none();
	}

	const about = input.about;
	if (about) {
		for (const field of Object.keys(EQUALITY_QUESTIONS) as EqualityField[]) {
			const value = about[field];
			if (value == null || value === PREFER_NOT) continue;
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
