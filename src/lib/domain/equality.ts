/**
 * Equality monitoring questions (GOV.UK / ONS England harmonised categories).
 *
 * Three answers are kept apart everywhere because reports must not merge them:
 * - NOT_ASKED: the question was never put (face-to-face leaves, or it did not apply);
 * - PREFER_NOT: the respondent chose "Prefer not to say";
 * - LEFT_BLANK: the respondent saw the question and skipped it.
 */
export const NOT_ASKED = 'not_asked';
export const PREFER_NOT = 'prefer_not_to_say';
export const LEFT_BLANK = 'left_blank';
export const SENTINELS = [NOT_ASKED, PREFER_NOT, LEFT_BLANK] as const;

export const SENTINEL_LABELS: Record<string, string> = {
	[NOT_ASKED]: 'Not asked (face to face)',
	[PREFER_NOT]: 'Prefer not to say',
	[LEFT_BLANK]: 'Left blank'
};

export interface Option {
	code: string;
	label: string;
	heading?: string;
}

export const AGE_BANDS: Option[] = [
	{ code: 'under-13', label: '12 or under' },
	{ code: '13-15', label: '13 to 15' },
	{ code: '16-17', label: '16 to 17' },
	{ code: '18-24', label: '18 to 24' },
	{ code: '25-34', label: '25 to 34' },
	{ code: '35-49', label: '35 to 49' },
	{ code: '50-64', label: '50 to 64' },
	{ code: '65-plus', label: '65 or over' }
];

/** Age bands at or over 16, for whom the sexual orientation question may be asked. */
export const AGE_BANDS_16_PLUS = new Set(['16-17', '18-24', '25-34', '35-49', '50-64', '65-plus']);

export const GENDERS: Option[] = [
	{ code: 'female', label: 'Female' },
	{ code: 'male', label: 'Male' },
	{ code: 'self-describe', label: 'I describe myself another way' }
];

export const DISABILITY: Option[] = [
	{ code: 'yes', label: 'Yes' },
	{ code: 'no', label: 'No' }
];

export const ETHNICITIES: Option[] = [
	{ heading: 'White', code: 'white-british', label: 'English, Welsh, Scottish, Northern Irish or British' },
	{ heading: 'White', code: 'white-irish', label: 'Irish' },
	{ heading: 'White', code: 'white-gypsy-traveller', label: 'Gypsy or Irish Traveller' },
	{ heading: 'White', code: 'white-roma', label: 'Roma' },
	{ heading: 'White', code: 'white-other', label: 'Any other White background' },
	{
		heading: 'Mixed or multiple ethnic groups',
		code: 'mixed-white-black-caribbean',
		label: 'White and Black Caribbean'
	},
	{ heading: 'Mixed or multiple ethnic groups', code: 'mixed-white-black-african', label: 'White and Black African' },
	{ heading: 'Mixed or multiple ethnic groups', code: 'mixed-white-asian', label: 'White and Asian' },
	{
		heading: 'Mixed or multiple ethnic groups',
		code: 'mixed-other',
		label: 'Any other Mixed or multiple ethnic background'
	},
	{ heading: 'Asian or Asian British', code: 'asian-indian', label: 'Indian' },
	{ heading: 'Asian or Asian British', code: 'asian-pakistani', label: 'Pakistani' },
	{ heading: 'Asian or Asian British', code: 'asian-bangladeshi', label: 'Bangladeshi' },
	{ heading: 'Asian or Asian British', code: 'asian-chinese', label: 'Chinese' },
	{ heading: 'Asian or Asian British', code: 'asian-other', label: 'Any other Asian background' },
	{ heading: 'Black, Black British, Caribbean or African', code: 'black-african', label: 'African' },
	{ heading: 'Black, Black British, Caribbean or African', code: 'black-caribbean', label: 'Caribbean' },
	{
		heading: 'Black, Black British, Caribbean or African',
		code: 'black-other',
		label: 'Any other Black, Black British or Caribbean background'
	},
	{ heading: 'Other ethnic group', code: 'other-arab', label: 'Arab' },
	{ heading: 'Other ethnic group', code: 'other-any', label: 'Any other ethnic group' }
];

export const SEXUAL_ORIENTATIONS: Option[] = [
	{ code: 'straight', label: 'Straight or heterosexual' },
	{ code: 'gay-lesbian', label: 'Gay or lesbian' },
	{ code: 'bisexual', label: 'Bisexual' },
	{ code: 'other', label: 'Another sexual orientation' }
];

/** The "About you" questions, in the order the survey asks them. */
export const EQUALITY_FIELDS = ['ageBand', 'gender', 'disability', 'ethnicity', 'sexualOrientation'] as const;
export type EqualityField = (typeof EQUALITY_FIELDS)[number];

export const EQUALITY_QUESTIONS: Record<EqualityField, { column: string; label: string; options: Option[] }> = {
	ageBand: { column: 'eq_age_band', label: 'Age band', options: AGE_BANDS },
	gender: { column: 'eq_gender', label: 'Gender', options: GENDERS },
	disability: { column: 'eq_disability', label: 'Disability', options: DISABILITY },
	ethnicity: { column: 'eq_ethnicity', label: 'Ethnicity', options: ETHNICITIES },
	sexualOrientation: { column: 'eq_sexual_orientation', label: 'Sexual orientation', options: SEXUAL_ORIENTATIONS }
};

export function labelFor(field: EqualityField, value: string): string {
	return SENTINEL_LABELS[value] ?? EQUALITY_QUESTIONS[field].options.find((o) => o.code === value)?.label ?? value;
}
