/** English names of answer languages, for staff pages (kept apart from detect.ts so pages do not load the detector). */
export const LANGUAGE_NAMES: Record<string, string> = {
	en: 'English',
	cy: 'Welsh',
	pl: 'Polish',
	ur: 'Urdu',
	ro: 'Romanian',
	pa: 'Punjabi',
	bn: 'Bengali',
	gu: 'Gujarati',
	ar: 'Arabic',
	lt: 'Lithuanian',
	lv: 'Latvian',
	bg: 'Bulgarian',
	pt: 'Portuguese',
	es: 'Spanish',
	fr: 'French',
	it: 'Italian',
	so: 'Somali',
	tr: 'Turkish',
	sk: 'Slovak',
	cs: 'Czech',
	uk: 'Ukrainian',
	ru: 'Russian'
};

export function languageName(code: string | null): string {
	if (!code) return 'English';
	return LANGUAGE_NAMES[code] ?? code;
}
