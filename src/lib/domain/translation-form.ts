/**
 * The builder's translation form for one language: the consultation's own
 * words (title, description, each question's wording and easy read wording,
 * and its wording for particular groups) as flat fields, and back into the
 * file's `translations.<lang>`. Pure: no framework, no database. What the form
 * does not show (group labels, areas, privacy notice, results) is kept.
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
		{ id: 'description', label: 'Description', english: def.description, multiline: true, value: t.description ?? '' }
	];
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
	const t = tidy({
		...before,
		title: words(values.title),
		description: words(values.description),
		questions: tidy(questions)
	});
	const translations = { ...def.translations };
	if (t) translations[lang] = t;
	else delete translations[lang];
	return { ...def, translations: tidy(translations) };
}
