/**
 * The builder's translation form for one language: the consultation's own
 * words (title, description, each question's wording and easy read wording,
 * and its wording for particular groups) as flat fields, and back into the
 * file's `translations.<lang>`, together with the group names, area names, privacy notice and "what happens
 * next" text, so that a consultation made in the browser can be offered in Welsh as fully as one written as a
 * file. Pure: no framework, no database.
 */
import type { ConsultationFile, ConsultationTranslation } from '../schemas/consultation-file';

export interface TranslationField {
	/** The form field's name and id. */
	id: string;
	/** What it translates, for the label. */
	label: string;
	/** The English words, shown as the hint. */
	english: string;
	multiline: boolean;
	value: string;
}

/** The fields for one language, in the order the survey shows the words. */
export function translationFields(def: ConsultationFile, lang: string): TranslationField[] {
	const t: ConsultationTranslation = def.translations?.[lang] ?? {};
	const fields: TranslationField[] = [
		{ id: 'title', label: 'Title', english: def.title, multiline: false, value: t.title ?? '' },
		{ id: 'description', label: 'Description', english: def.description, multiline: true, value: t.description ?? '' },
		{
			id: 'privacyNotice',
			label: 'Privacy notice',
			english: def.privacyNotice,
			multiline: true,
			value: t.privacyNotice ?? ''
		}
	];
	for (const g of def.groups) {
		const tg = t.groups?.[g.code] ?? {};
		const field = (part: 'label' | 'easyReadLabel' | 'description', what: string, multiline = false) => {
			const english = g[part];
			if (english) fields.push({ id: `g-${g.code}-${part}`, label: what, english, multiline, value: tg[part] ?? '' });
		};
		field('label', `Group “${g.label}”: name`);
		field('easyReadLabel', `Group “${g.label}”: easy read name`);
		field('description', `Group “${g.label}”: description`, true);
	}
	for (const d of def.districts)
		fields.push({
			id: `d-${d.code}`,
			label: `Area “${d.label}”: name`,
			english: d.label,
			multiline: false,
			value: t.districts?.[d.code] ?? ''
		});
	def.questions.forEach((q, i) => {
		const tq = t.questions?.[q.key] ?? {};
		const n = `Question ${i + 1}`;
		fields.push(
			{ id: `q-${q.key}-text`, label: `${n}: wording`, english: q.text, multiline: true, value: tq.text ?? '' },
			{
				id: `q-${q.key}-easyRead`,
				label: `${n}: easy read wording`,
				english: q.easyRead,
				multiline: true,
				value: tq.easyRead ?? ''
			}
		);
		for (const [g, w] of Object.entries(q.byGroup ?? {})) {
			const label = def.groups.find((x) => x.code === g)?.label ?? g;
			const tg = tq.byGroup?.[g] ?? {};
			fields.push({
				id: `q-${q.key}-byGroup-${g}-text`,
				label: `${n}: wording for “${label}”`,
				english: w.text,
				multiline: true,
				value: tg.text ?? ''
			});
			if (w.easyRead)
				fields.push({
					id: `q-${q.key}-byGroup-${g}-easyRead`,
					label: `${n}: easy read wording for “${label}”`,
					english: w.easyRead,
					multiline: true,
					value: tg.easyRead ?? ''
				});
		}
	});
	for (const part of ['when', 'where'] as const) {
		const english = def.results?.[part];
		if (english)
			fields.push({
				id: `results-${part}`,
				label: part === 'when' ? 'When results will be shared' : 'Where results will be shared',
				english,
				multiline: true,
				value: t.results?.[part] ?? ''
			});
	}
	return fields;
}

const words = (s: string | undefined) => (s && s.trim() ? s.trim() : undefined);
/** An object without its undefined values, or undefined when nothing is left (so the file stays tidy). */
function tidy<T extends object>(o: T): T | undefined {
	const kept = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
	return Object.keys(kept).length ? (kept as T) : undefined;
}

/** The definition with one language's words replaced by the form's (an empty field: shown in English). */
export function withTranslation(def: ConsultationFile, lang: string, values: Record<string, string>): ConsultationFile {
	const before: ConsultationTranslation = def.translations?.[lang] ?? {};
	const questions: NonNullable<ConsultationTranslation['questions']> = { ...before.questions };
	for (const q of def.questions) {
		const byGroup: Record<string, { text?: string; easyRead?: string }> = { ...questions[q.key]?.byGroup };
		for (const g of Object.keys(q.byGroup ?? {})) {
			const w = tidy({
				text: words(values[`q-${q.key}-byGroup-${g}-text`]),
				easyRead: words(values[`q-${q.key}-byGroup-${g}-easyRead`])
			});
			if (w) byGroup[g] = w;
			else delete byGroup[g];
		}
		const tq = tidy({
			text: words(values[`q-${q.key}-text`]),
			easyRead: words(values[`q-${q.key}-easyRead`]),
			byGroup: tidy(byGroup)
		});
		if (tq) questions[q.key] = tq;
		else delete questions[q.key];
	}
	const groups: NonNullable<ConsultationTranslation['groups']> = { ...before.groups };
	for (const g of def.groups) {
		// A part the form did not show (no English to translate) keeps what the file had.
		const part = (p: 'label' | 'easyReadLabel' | 'description') =>
			g[p] ? words(values[`g-${g.code}-${p}`]) : before.groups?.[g.code]?.[p];
		const tg = tidy({ label: part('label'), easyReadLabel: part('easyReadLabel'), description: part('description') });
		if (tg) groups[g.code] = tg;
		else delete groups[g.code];
	}
	const districts: NonNullable<ConsultationTranslation['districts']> = { ...before.districts };
	for (const d of def.districts) {
		const name = words(values[`d-${d.code}`]);
		if (name) districts[d.code] = name;
		else delete districts[d.code];
	}
	const t = tidy({
		...before,
		title: words(values.title),
		description: words(values.description),
		privacyNotice: words(values.privacyNotice),
		groups: tidy(groups),
		districts: tidy(districts),
		results: tidy({
			when: def.results?.when ? words(values['results-when']) : before.results?.when,
			where: def.results?.where ? words(values['results-where']) : before.results?.where
		}),
		questions: tidy(questions)
	});
	const translations = { ...def.translations };
	if (t) translations[lang] = t;
	else delete translations[lang];
	return { ...def, translations: tidy(translations) };
}
