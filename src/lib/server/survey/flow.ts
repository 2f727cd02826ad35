import type { SubmissionInput } from '../../schemas/submission';
import {
	audienceFor,
	FIELD_OF,
	knownAgeBand,
	type AboutPage,
	type Audience,
	type GroupAges
} from '../../domain/about-you';
import type { EqualityField } from '../../domain/equality';
import { mayAskSexualOrientation } from '../submissions/validate';
import type { DraftAbout, DraftData } from './draft';

/** What the flow needs to know about the consultation: its question keys, its groups' ages and the "About you" questions it asks. */
export interface SurveyShape {
	questionKeys: string[];
	groups: GroupAges[];
	/** Left out: all of them (as before a consultation could choose). */
	aboutAsked?: readonly EqualityField[];
}

const asks = (shape: SurveyShape, field: EqualityField) => !shape.aboutAsked || shape.aboutAsked.includes(field);

export function audienceOf(data: Pick<DraftData, 'groups'>, shape: SurveyShape): Audience {
	return audienceFor(data.groups, shape.groups);
}

/** The "About you" questions this respondent is asked, in order (after "Do you want to answer…?" said yes). */
export function aboutPages(data: DraftData, shape: SurveyShape): AboutPage[] {
	if (data.aboutWanted !== true) return [];
	const pages: AboutPage[] = [];
	if (asks(shape, 'ageBand') && knownAgeBand(audienceOf(data, shape)) === null) pages.push('age');
	for (const page of ['gender', 'disability', 'ethnicity'] as const) if (asks(shape, FIELD_OF[page])) pages.push(page);
	if (asks(shape, 'sexualOrientation') && orientationAllowed({ groups: data.groups, about: aboutAnswers(data, shape) }))
		pages.push('orientation');
	return pages;
}

/**
 * The pages of the survey after the start page, in order, for what the
 * respondent has told us so far. Paths are relative to /s/<slug>/.
 * Pure: no framework, no database.
 */
export function stepPaths(data: DraftData, shape: SurveyShape): string[] {
	const steps = ['who', 'where'];
	data.groups.forEach((_, p) => shape.questionKeys.forEach((_, n) => steps.push(`q/${p + 1}/${n + 1}`)));
	// A consultation that asks none of the "About you" questions skips the "Do you want to…?" page too.
	if (!shape.aboutAsked || shape.aboutAsked.length > 0) steps.push('about');
	for (const page of aboutPages(data, shape)) steps.push(`about/${page}`);
	steps.push('check');
	return steps;
}

export function nextStep(data: DraftData, shape: SurveyShape, current: string): string {
	const steps = stepPaths(data, shape);
	const i = steps.indexOf(current);
	return i === -1 ? 'check' : steps[Math.min(i + 1, steps.length - 1)];
}

/** The page before this one ('' is the start page). */
export function previousStep(data: DraftData, shape: SurveyShape, current: string): string {
	const steps = stepPaths(data, shape);
	const i = steps.indexOf(current);
	return i <= 0 ? '' : steps[i - 1];
}

/** Where "Continue your answers" takes someone: the page they were about to see, if it still exists. */
export function resumeStep(data: DraftData, shape: SurveyShape): string {
	const steps = stepPaths(data, shape);
	return data.at && steps.includes(data.at) ? data.at : data.groups.length > 0 ? 'check' : 'who';
}

/**
 * The "About you" answers to store: what the person chose, plus an age band
 * known from the groups they ticked (a child is not asked it again), but only
 * if they agreed to answer questions about themselves.
 */
export function aboutAnswers(data: DraftData, shape: SurveyShape): DraftAbout | null {
	if (!data.about) return null;
	const known = data.aboutWanted ? knownAgeBand(audienceOf(data, shape)) : null;
	return known ? { ...data.about, ageBand: known } : data.about;
}

/** The draft as the submission the schema and saveSubmission expect. */
export function toSubmissionInput(data: DraftData, submissionId: string, shape: SurveyShape): SubmissionInput {
	const questionKeys = shape.questionKeys;
	const given = aboutAnswers(data, shape);
	const about = given ? cleanAbout(given, { ...data, about: given }, shape) : null;
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

/** What the person answered, of the questions this consultation asks (an answer kept from before a change is dropped). */
function cleanAbout(about: DraftAbout, data: DraftData, shape: SurveyShape): NonNullable<SubmissionInput['about']> {
	const out: NonNullable<SubmissionInput['about']> = {};
	if (about.ageBand) out.ageBand = about.ageBand;
	if (about.gender) out.gender = about.gender;
	if (about.gender === 'self-describe' && about.genderSelfDescribe?.trim())
		out.genderSelfDescribe = about.genderSelfDescribe.trim();
	if (about.disability) out.disability = about.disability;
	if (about.ethnicity) out.ethnicity = about.ethnicity;
	if (about.sexualOrientation && orientationAllowed(data)) out.sexualOrientation = about.sexualOrientation;
	for (const field of ['ageBand', 'gender', 'disability', 'ethnicity', 'sexualOrientation'] as const)
		if (!asks(shape, field)) delete out[field];
	if (!asks(shape, 'gender')) delete out.genderSelfDescribe;
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
export function asPhrase(label: string, lang = 'en'): string {
	// English grammar only: in another language the group's name is shown as it is.
	if (lang !== 'en') return label;
	if (/^other\b/i.test(label)) return 'another ' + label.slice(6).toLowerCase();
	const lower = label.charAt(0).toLowerCase() + label.slice(1);
	return (/^[aeiou]/i.test(lower) ? 'an ' : 'a ') + lower;
}
