/**
 * "About you" as the respondent sees it: which equality questions are put to
 * whom, and in what words. Pure: no framework, no database.
 *
 * The stored codes never change (they are the ones in equality.ts, which the
 * analysis reads); only the questions asked and the words shown depend on who
 * is answering:
 * - the age bands offered are those that fit the ages of the groups ticked, so
 *   someone who ticked "Child (12 or under)" is not asked their age at all (the
 *   one band that fits is recorded for them);
 * - a child (every group ticked is for 12 or under) gets child wording and no
 *   adult definitions;
 * - easy read has its own words for every option;
 * - "Prefer not to say" is offered on every question.
 */
import {
	AGE_BANDS,
	DISABILITY,
	ETHNICITIES,
	GENDERS,
	SEXUAL_ORIENTATIONS,
	type EqualityField,
	type Option
} from './equality';

/** The "About you" pages after the opening question, as URL segments. */
export const ABOUT_PAGES = ['age', 'gender', 'disability', 'ethnicity', 'orientation'] as const;
export type AboutPage = (typeof ABOUT_PAGES)[number];

export const FIELD_OF: Record<AboutPage, EqualityField> = {
	age: 'ageBand',
	gender: 'gender',
	disability: 'disability',
	ethnicity: 'ethnicity',
	orientation: 'sexualOrientation'
};

export function isAboutPage(value: string): value is AboutPage {
	return (ABOUT_PAGES as readonly string[]).includes(value);
}

/** A respondent group's ages as the consultation defines them (null: any age). */
export interface GroupAges {
	code: string;
	ageMin: number | null;
	ageMax: number | null;
}

export interface Audience {
	/** Youngest and oldest age the ticked groups allow, or null when any age is possible. */
	ages: { min: number; max: number } | null;
	/** Every ticked group is for children aged 12 or under. */
	child: boolean;
}

const BAND_AGES: Record<string, [number, number]> = {
	'under-13': [0, 12],
	'13-15': [13, 15],
	'16-17': [16, 17],
	'18-24': [18, 24],
	'25-34': [25, 34],
	'35-49': [35, 49],
	'50-64': [50, 64],
	'65-plus': [65, 150]
};

export function audienceFor(chosen: string[], groups: GroupAges[]): Audience {
	const ticked = chosen.map((code) => groups.find((g) => g.code === code)).filter((g) => g !== undefined);
	if (ticked.length === 0 || ticked.some((g) => g.ageMax === null)) return { ages: null, child: false };
	const min = Math.min(...ticked.map((g) => g.ageMin ?? 0));
	const max = Math.max(...ticked.map((g) => g.ageMax!));
	return { ages: { min, max }, child: max <= 12 };
}

/** The age bands that fit the ticked groups' ages (all of them when any age is possible). */
export function ageBandsFor(a: Audience): Option[] {
	if (!a.ages) return AGE_BANDS;
	const { min, max } = a.ages;
	return AGE_BANDS.filter((b) => {
		const [lo, hi] = BAND_AGES[b.code] ?? [0, 150];
		return hi >= min && lo <= max;
	});
}

/** The age band already known from the groups ticked (only one fits), so it is not asked again. */
export function knownAgeBand(a: Audience): string | null {
	const bands = ageBandsFor(a);
	return bands.length === 1 ? bands[0].code : null;
}

export interface AboutQuestion {
	page: AboutPage;
	field: EqualityField;
	/** The question, shown as the page's h1 (the fieldset's legend). */
	legend: string;
	hint: string;
	options: Option[];
	preferNotLabel: string;
	/** Short name for "Check your answers". */
	summaryLabel: string;
}

const EASY_AGE: Record<string, string> = {
	'under-13': '12 or younger',
	'13-15': '13, 14 or 15',
	'16-17': '16 or 17',
	'18-24': '18 to 24',
	'25-34': '25 to 34',
	'35-49': '35 to 49',
	'50-64': '50 to 64',
	'65-plus': '65 or older'
};

const EASY_ETHNICITY: Record<string, { heading: string; label: string }> = {
	'white-british': { heading: 'White', label: 'British: English, Welsh, Scottish or Northern Irish' },
	'white-irish': { heading: 'White', label: 'Irish' },
	'white-gypsy-traveller': { heading: 'White', label: 'Gypsy or Irish Traveller' },
	'white-roma': { heading: 'White', label: 'Roma' },
	'white-other': { heading: 'White', label: 'Another White background' },
	'mixed-white-black-caribbean': {
		heading: 'Mixed: my family is from more than one group',
		label: 'White and Black Caribbean'
	},
	'mixed-white-black-african': {
		heading: 'Mixed: my family is from more than one group',
		label: 'White and Black African'
	},
	'mixed-white-asian': { heading: 'Mixed: my family is from more than one group', label: 'White and Asian' },
	'mixed-other': { heading: 'Mixed: my family is from more than one group', label: 'Another mix' },
	'asian-indian': { heading: 'Asian', label: 'Indian' },
	'asian-pakistani': { heading: 'Asian', label: 'Pakistani' },
	'asian-bangladeshi': { heading: 'Asian', label: 'Bangladeshi' },
	'asian-chinese': { heading: 'Asian', label: 'Chinese' },
	'asian-other': { heading: 'Asian', label: 'Another Asian background' },
	'black-african': { heading: 'Black', label: 'African' },
	'black-caribbean': { heading: 'Black', label: 'Caribbean' },
	'black-other': { heading: 'Black', label: 'Another Black background' },
	'other-arab': { heading: 'Another group', label: 'Arab' },
	'other-any': { heading: 'Another group', label: 'Another group, not on this list' }
};

const EASY_ORIENTATION: Record<string, string> = {
	straight: 'Straight: I like people of the other sex',
	'gay-lesbian': 'Gay or lesbian: I like people of the same sex',
	bisexual: 'Bisexual: I like people of more than one sex',
	other: 'Another way'
};

function relabel(options: Option[], labels: Record<string, string>): Option[] {
	return options.map((o) => ({ code: o.code, label: labels[o.code] ?? o.label }));
}

function genderOptions(a: Audience, easy: boolean): { legend: string; options: Option[] } {
	const self = easy ? 'Another way' : 'I describe myself another way';
	if (a.child) {
		return {
			legend: 'Are you a boy or a girl?',
			options: relabel(GENDERS, {
				female: easy ? 'A girl' : 'Girl',
				male: easy ? 'A boy' : 'Boy',
				'self-describe': self
			})
		};
	}
	if (a.ages && a.ages.max <= 24) {
		return {
			legend: easy ? 'Are you a girl or young woman, or a boy or young man?' : 'What is your gender?',
			options: relabel(
				GENDERS,
				easy
					? { female: 'A girl or young woman', male: 'A boy or young man', 'self-describe': self }
					: { 'self-describe': self }
			)
		};
	}
	return {
		legend: easy ? 'Are you a woman or a man?' : 'What is your gender?',
		options: relabel(
			GENDERS,
			easy ? { female: 'A woman', male: 'A man', 'self-describe': self } : { 'self-describe': self }
		)
	};
}

/** One "About you" question in the words this respondent should see. */
export function aboutQuestion(page: AboutPage, a: Audience, easy: boolean): AboutQuestion {
	const preferNotLabel = easy ? 'I prefer not to say' : 'Prefer not to say';
	const optional = easy ? 'You do not have to answer.' : 'This question is optional.';
	const base = { page, field: FIELD_OF[page], preferNotLabel };
	switch (page) {
		case 'age':
			return {
				...base,
				legend: easy || a.ages ? 'How old are you?' : 'What is your age?',
				hint: optional,
				options: easy ? relabel(ageBandsFor(a), EASY_AGE) : ageBandsFor(a),
				summaryLabel: 'Age'
			};
		case 'gender': {
			const g = genderOptions(a, easy);
			return { ...base, ...g, hint: optional, summaryLabel: a.child ? 'Boy or girl' : 'Gender' };
		}
		case 'disability':
			return {
				...base,
				legend:
					a.child || easy
						? 'Do you have a disability or an illness that lasts a long time?'
						: 'Do you consider yourself to have a disability?',
				hint:
					a.child || easy
						? 'For example, something that makes it hard to see, hear, move, learn or do everyday things.'
						: 'A physical or mental health condition or illness that has a big effect on your day-to-day life, lasting or expected to last 12 months or more.',
				options: DISABILITY,
				summaryLabel: 'Disability'
			};
		case 'ethnicity':
			return {
				...base,
				legend: 'What is your ethnic group?',
				hint:
					easy || a.child
						? 'This is about your family and where they come from. Choose the one that fits you best.'
						: 'Choose one option that best describes your ethnic group or background.',
				options: easy ? ETHNICITIES.map((o) => ({ code: o.code, ...EASY_ETHNICITY[o.code] })) : ETHNICITIES,
				summaryLabel: 'Ethnic group'
			};
		case 'orientation':
			return {
				...base,
				legend: easy ? 'Who do you like or fancy?' : 'Which of these best describes your sexual orientation?',
				hint: easy
					? 'You do not have to answer. We only ask people aged 16 or over.'
					: 'This question is optional. We ask it only of people aged 16 or over.',
				options: easy ? relabel(SEXUAL_ORIENTATIONS, EASY_ORIENTATION) : SEXUAL_ORIENTATIONS,
				summaryLabel: 'Sexual orientation'
			};
	}
}

/** The first question: whether to answer any of these at all (GOV.UK's equality pattern). */
export function aboutIntro(a: Audience, easy: boolean): { legend: string; hint: string; yes: string; no: string } {
	return {
		legend: 'Do you want to answer some questions about yourself?',
		hint: easy
			? 'This helps us check we hear from all kinds of people. You can skip any question.'
			: a.child
				? 'This helps us check that we hear from all kinds of children. You can skip any question.'
				: 'These questions are optional. They help us check that we are hearing from all kinds of people. You can skip any question or choose "Prefer not to say".',
		yes: 'Yes',
		no: easy ? 'No' : 'No, skip these questions'
	};
}
