/**
 * A consultation in the respondent's language: its title, description,
 * privacy notice, "when and where the results" notices, group labels,
 * districts and questions (standard, easy read and per group) come from the
 * file's `translations.<lang>` where given, and stay in English where not (a
 * clear, safe fallback: a respondent never sees an empty label). Pure.
 */
import type { ConsultationTranslation } from '../schemas/consultation-file';

export type Translations = Record<string, ConsultationTranslation>;

interface Wording {
	text: string;
	easyRead?: string;
}

/** The parts of a consultation that have words (structural, so the server's view fits). */
export interface Worded {
	title: string;
	description: string;
	privacyNotice: string;
	groups: { code: string; label: string; easyReadLabel: string | null; description: string | null }[];
	districts: { code: string; label: string }[];
	questions: { key: string; text: string; easyRead: string; byGroup: Record<string, Wording> }[];
	content: { results: { when: string; where: string } };
}

/** The consultation with every translated part in `lang`; English (unchanged) for the rest. */
export function localise<C extends Worded>(c: C, translations: Translations, lang: string): C {
	const t = translations[lang];
	if (lang === 'en' || !t) return c;
	return {
		...c,
		title: t.title ?? c.title,
		description: t.description ?? c.description,
		privacyNotice: t.privacyNotice ?? c.privacyNotice,
		content: {
			...c.content,
			results: {
				when: t.results?.when ?? c.content.results.when,
				where: t.results?.where ?? c.content.results.where
			}
		},
		groups: c.groups.map((g) => {
			const tg = t.groups?.[g.code];
			if (!tg) return g;
			// A translated label without an easy read one is better than the English easy read label.
			return {
				...g,
				label: tg.label ?? g.label,
				easyReadLabel: tg.easyReadLabel ?? (tg.label ? null : g.easyReadLabel),
				description: tg.description ?? g.description
			};
		}),
		districts: c.districts.map((d) => ({ ...d, label: t.districts?.[d.code] ?? d.label })),
		questions: c.questions.map((q) => {
			const tq = t.questions?.[q.key];
			if (!tq) return q;
			const byGroup: Record<string, Wording> = {};
			for (const [group, w] of Object.entries(q.byGroup)) {
				const tw = tq.byGroup?.[group];
				byGroup[group] = {
					// A group's own English wording stands until it is translated: it may say something the general one does not.
					text: tw?.text ?? w.text,
					...((tw?.easyRead ?? w.easyRead) ? { easyRead: tw?.easyRead ?? w.easyRead } : {})
				};
			}
			return { ...q, text: tq.text ?? q.text, easyRead: tq.easyRead ?? q.easyRead, byGroup };
		})
	};
}

/** What a file must have for `lang` to be complete, as the paths an officer would edit. */
function wordedPaths(c: Worded): string[] {
	const paths = ['title', 'description', 'privacyNotice'];
	for (const g of c.groups) {
		paths.push(`groups.${g.code}.label`);
		if (g.easyReadLabel) paths.push(`groups.${g.code}.easyReadLabel`);
		if (g.description) paths.push(`groups.${g.code}.description`);
	}
	for (const d of c.districts) paths.push(`districts.${d.code}`);
	for (const q of c.questions) {
		paths.push(`questions.${q.key}.text`, `questions.${q.key}.easyRead`);
		for (const [group, w] of Object.entries(q.byGroup)) {
			paths.push(`questions.${q.key}.byGroup.${group}.text`);
			if (w.easyRead) paths.push(`questions.${q.key}.byGroup.${group}.easyRead`);
		}
	}
	return paths;
}

function has(t: ConsultationTranslation, path: string): boolean {
	let at: unknown = t;
	for (const part of path.split('.')) {
		if (typeof at !== 'object' || at === null) return false;
		at = (at as Record<string, unknown>)[part];
	}
	return typeof at === 'string' && at.length > 0;
}

export interface UntranslatedReport {
	language: string;
	/** Parts with words in English. */
	total: number;
	/** Paths still in English, as written under translations.<language> in the file. */
	missing: string[];
}

/**
 * For each language, what of the consultation's own words is still shown in
 * English. (The "When and where you can see the results" notices have English
 * defaults written by the platform, so they are optional and not listed.)
 */
export function untranslated(
	c: Worded,
	translations: Translations,
	languages: readonly string[]
): UntranslatedReport[] {
	const paths = wordedPaths(c);
	return languages
		.filter((l) => l !== 'en')
		.map((language) => {
			const t = translations[language] ?? {};
			return { language, total: paths.length, missing: paths.filter((p) => !has(t, p)) };
		});
}
