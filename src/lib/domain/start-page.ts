/**
 * What a consultation's start page tells a respondent before they begin, worked out from the consultation
 * itself, so that a consultation built in the browser (its own groups, no areas, required questions) is
 * described truthfully rather than with the Worcestershire consultation's facts.
 */
export interface StartFacts {
	/** The groups a respondent can answer as, in the consultation's order (already in the page's language). */
	groups: string[];
	/** The survey asks where the respondent lives (the consultation has areas). */
	asksWhere: boolean;
	/** The survey asks "About you" questions. */
	asksAbout: boolean;
	/** A rough time to allow: about two minutes a question, never under five. */
	minutes: number;
	/** At least one question must be answered. */
	someRequired: boolean;
	/** Some question is worded differently for some group. */
	wordingVaries: boolean;
}

export interface StartSource {
	groups: { label: string }[];
	districts: unknown[];
	aboutAsked: unknown[];
	questions: { required: boolean; byGroup: Record<string, unknown> }[];
}

export function startFacts(c: StartSource): StartFacts {
	return {
		groups: c.groups.map((g) => g.label),
		asksWhere: c.districts.length > 0,
		asksAbout: c.aboutAsked.length > 0,
		minutes: Math.max(5, 2 * c.questions.length),
		someRequired: c.questions.some((q) => q.required),
		wordingVaries: c.questions.some((q) => Object.keys(q.byGroup).length > 0)
	};
}

/** "a, b or c" in the page's language (Intl knows each language's "or"). */
export function listWithOr(items: string[], locale: string): string {
	return new Intl.ListFormat(locale, { type: 'disjunction' }).format(items);
}

/** "a, b and c" in the page's language. */
export function listWithAnd(items: string[], locale: string): string {
	return new Intl.ListFormat(locale, { type: 'conjunction' }).format(items);
}
