import type { ConsultationView } from '../consultations/queries';
import type { FieldErrors, SubmissionInput } from '../../schemas/submission';
import { AGE_BANDS_16_PLUS, EQUALITY_QUESTIONS, PREFER_NOT, type EqualityField } from '../../domain/equality';
import { answerTooLong } from '../../schemas/answer';

/**
 * Checks a schema-valid submission against one consultation: known groups,
 * districts and questions, at least one non-empty answer, each answer within
 * its question's limit, every required question answered (for each group
 * answered as), and equality answers that are real options of a question the
 * consultation asks. Returns field errors, empty when all is well.
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
		errors.district = `unknown district "${input.district}"`;

	const seenGroups = new Set<string | null>();
	let answered = 0;
	input.perspectives.forEach((p, i) => {
		if (p.group === null) {
			if (!opts.allowUnknownGroup) errors[`perspectives[${i}].group`] = 'choose who you are answering as';
		} else if (!groups.has(p.group)) {
			errors[`perspectives[${i}].group`] = `unknown respondent group "${p.group}"`;
		}
		if (seenGroups.has(p.group)) errors[`perspectives[${i}].group`] = `"${p.group}" is given twice`;
		seenGroups.add(p.group);
		for (const [key, text] of Object.entries(p.answers)) {
			const q = questions.get(key);
			if (!q) errors[`perspectives[${i}].answers.${key}`] = `unknown question "${key}"`;
			else if (answerTooLong(text, q.maxLength))
				errors[`perspectives[${i}].answers.${key}`] =
					`must be ${q.maxLength.toLocaleString('en-GB')} characters or fewer`;
			else if (text.trim() !== '') answered++;
		}
		// A hidden question is not asked of new respondents, so it cannot be required of them.
		for (const q of c.questions) {
			if (q.required && !q.hidden && !(p.answers[q.key] ?? '').trim())
				errors[`perspectives[${i}].answers.${q.key}`] ??= 'is required: answer this question';
		}
	});
	if (answered === 0 && Object.keys(errors).length === 0) {
		errors.perspectives = 'answer at least one question: every question is optional, but we need at least one answer';
	}

	const about = input.about;
	if (about) {
		const asked = new Set(c.aboutAsked ?? Object.keys(EQUALITY_QUESTIONS));
		for (const field of Object.keys(EQUALITY_QUESTIONS) as EqualityField[]) {
			const value = about[field];
			if (value == null) continue;
			if (!asked.has(field)) {
				errors[`about.${field}`] = 'is not asked in this consultation';
				continue;
			}
			if (value === PREFER_NOT) continue;
			if (!EQUALITY_QUESTIONS[field].options.some((o) => o.code === value)) {
				errors[`about.${field}`] = `"${value}" is not one of the options`;
			}
		}
		if (about.sexualOrientation != null && !mayAskSexualOrientation(input)) {
			errors['about.sexualOrientation'] = 'is only asked of people aged 16 or over';
		}
	}
	return errors;
}

/** Sexual orientation is asked only of respondents who say they are 16 or over. */
export function mayAskSexualOrientation(input: Pick<SubmissionInput, 'perspectives' | 'about'>): boolean {
	const band = input.about?.ageBand;
	return band != null && AGE_BANDS_16_PLUS.has(band) && input.perspectives.some((p) => p.group !== 'child');
}
