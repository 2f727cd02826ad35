import type { SubmissionInput } from '../../schemas/submission';
import { mayAskSexualOrientation } from '../submissions/validate';
import type { DraftAbout, DraftData } from './draft';

/**
 * The pages of the survey after the start page, in order, for what the
 * respondent has told us so far. Paths are relative to /s/<slug>/.
 * Pure: no framework, no database.
 */
export function stepPaths(data: DraftData, questionKeys: string[]): string[] {
	const steps = ['who', 'where'];
	data.groups.forEach((_, p) => questionKeys.forEach((_, n) => steps.push(`q/${p + 1}/${n + 1}`)));
	steps.push('about');
	if (orientationAllowed(data)) steps.push('about/orientation');
	steps.push('check');
	return steps;
}

export function nextStep(data: DraftData, questionKeys: string[], current: string): string {
	const steps = stepPaths(data, questionKeys);
	const i = steps.indexOf(current);
	return i === -1 ? 'check' : steps[Math.min(i + 1, steps.length - 1)];
}

/** The page before this one ('' is the start page). */
export function previousStep(data: DraftData, questionKeys: string[], current: string): string {
	const steps = stepPaths(data, questionKeys);
	const i = steps.indexOf(current);
	return i <= 0 ? '' : steps[i - 1];
}

/** The draft as the submission the schema and saveSubmission expect. */
export function toSubmissionInput(data: DraftData, submissionId: string, questionKeys: string[]): SubmissionInput {
	const about = data.about ? cleanAbout(data.about, data) : null;
	return {
		id: submissionId,
		district: data.district ?? null,
		perspectives: data.groups.map((group) => {
			const given = data.answers[group] ?? {};
			const answers: Record<string, string> = {};
			for (const key of questionKeys) if ((given[key] ?? '').trim() !== '') answers[key] = given[key];
			return { group, answers };
		}),
		about
	};
}

function cleanAbout(about: DraftAbout, data: DraftData): NonNullable<SubmissionInput['about']> {
	const out: NonNullable<SubmissionInput['about']> = {};
	if (about.ageBand) out.ageBand = about.ageBand;
	if (about.gender) out.gender = about.gender;
	if (about.gender === 'self-describe' && about.genderSelfDescribe?.trim()) out.genderSelfDescribe = about.genderSelfDescribe.trim();
	if (about.disability) out.disability = about.disability;
	if (about.ethnicity) out.ethnicity = about.ethnicity;
	if (about.sexualOrientation && orientationAllowed(data)) out.sexualOrientation = about.sexualOrientation;
	return out;
}

/** Sexual orientation is asked only of those answering as 16 or over, never of someone answering only as a child. */
export function orientationAllowed(data: Pick<DraftData, 'groups' | 'about'>): boolean {
	if (data.groups.length === 0) return false;
	return mayAskSexualOrientation({
		perspectives: data.groups.map((group) => ({ group, answers: {} })),
		about: { ageBand: data.about?.ageBand ?? null }
	});
}

/** "a parent or carer" from "Parent or carer", for "Answering as a parent or carer". */
export function asPhrase(label: string): string {
	if (/^other\b/i.test(label)) return 'another ' + label.slice(6).toLowerCase();
	const lower = label.charAt(0).toLowerCase() + label.slice(1);
	return (/^[aeiou]/i.test(lower) ? 'an ' : 'a ') + lower;
}
