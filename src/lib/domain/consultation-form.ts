/**
 * The consultation builder's form, as plain data: the flat fields of the page
 * (groups-0-code, questions-1-byGroup-child-text ...) turned into the nested
 * object the consultation file schema parses, and back. Pure: no framework,
 * no database. The form never validates on its own: the builder parses what
 * this builds with consultationFileSchema, the same schema as a file.
 */
import type { ConsultationFile } from '../schemas/consultation-file';
import { MAX_ANSWER_LENGTH } from '../schemas/answer-length';
import { EQUALITY_FIELDS, type EqualityField } from './equality';

/** What the builder page shows: the file's shape, loosely typed (a half-filled row is allowed here). */
export interface DraftGroup {
	code: string;
	label: string;
	easyReadLabel: string;
	hidden: boolean;
}
export interface DraftQuestion {
	key: string;
	text: string;
	easyRead: string;
	hint: string;
	hidden: boolean;
	byGroup: Record<string, { text: string; easyRead: string }>;
	/** The character limit as typed (the schema checks it is a whole number up to the installation's maximum). */
	maxLength: string;
	required: boolean;
}
export interface Draft {
	slug: string;
	title: string;
	organisation: string;
	description: string;
	opensAt: string;
	closesAt: string;
	retentionUntil: string;
	privacyNotice: string;
	accessibilityStatement: string;
	groups: DraftGroup[];
	/** One area a line: "code | name", or just the name (the code is made from it). */
	districts: string;
	questions: DraftQuestion[];
	/** The "About you" questions asked (none: the survey skips "About you" altogether). */
	aboutAsked: EqualityField[];
}

export const MAX_QUESTIONS = 10;

type Values = Record<string, string | string[] | undefined>;
const one = (v: Values, k: string) => {
	const x = v[k];
	return (Array.isArray(x) ? x[0] : x) ?? '';
};

/** A code made from a name: "Malvern Hills" -> "malvern-hills". */
export function codeFrom(name: string): string {
	return name
		.toLowerCase()
		.normalize('NFKD')
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '');
}

/** The definition as the page shows it. */
export function draftOf(d: ConsultationFile): Draft {
	return {
		slug: d.slug,
		title: d.title,
		organisation: d.organisation,
		description: d.description,
		opensAt: d.opensAt ?? '',
		closesAt: d.closesAt ?? '',
		retentionUntil: d.retentionUntil ?? '',
		privacyNotice: d.privacyNotice,
		accessibilityStatement: d.accessibilityStatement ?? '',
		groups: d.groups.map((g) => ({
			code: g.code,
			label: g.label,
			easyReadLabel: g.easyReadLabel ?? '',
			hidden: g.hidden ?? false
		})),
		districts: d.districts.map((x) => `${x.code} | ${x.label}`).join('\n'),
		questions: d.questions.map((q) => ({
			key: q.key,
			text: q.text,
			easyRead: q.easyRead,
			hint: q.hint ?? '',
			hidden: q.hidden ?? false,
			byGroup: Object.fromEntries(
				Object.entries(q.byGroup ?? {}).map(([g, w]) => [g, { text: w.text, easyRead: w.easyRead ?? '' }])
			),
			maxLength: String(q.maxLength ?? MAX_ANSWER_LENGTH),
			required: q.required ?? false
		})),
		aboutAsked: d.about ? EQUALITY_FIELDS.filter((f) => d.about!.asked.includes(f)) : [...EQUALITY_FIELDS]
	};
}

/** The posted form as a draft (rows counted by the hidden groupCount / questionCount fields). */
export function draftFromForm(v: Values): Draft {
	const count = (k: string, max: number) => Math.max(0, Math.min(max, Number.parseInt(one(v, k), 10) || 0));
	const groups: DraftGroup[] = [];
	for (let i = 0; i < count('groupCount', 50); i++) {
		groups.push({
			code: one(v, `groups-${i}-code`).trim(),
			label: one(v, `groups-${i}-label`).trim(),
			easyReadLabel: one(v, `groups-${i}-easyReadLabel`).trim(),
			hidden: one(v, `groups-${i}-hidden`) === 'yes'
		});
	}
	const questions: DraftQuestion[] = [];
	for (let i = 0; i < count('questionCount', MAX_QUESTIONS + 1); i++) {
		const byGroup: DraftQuestion['byGroup'] = {};
		for (const g of groups) {
			const text = one(v, `questions-${i}-byGroup-${g.code}-text`).trim();
			const easyRead = one(v, `questions-${i}-byGroup-${g.code}-easyRead`).trim();
			if (g.code && (text || easyRead)) byGroup[g.code] = { text, easyRead };
		}
		questions.push({
			key: one(v, `questions-${i}-key`).trim(),
			text: one(v, `questions-${i}-text`).trim(),
			easyRead: one(v, `questions-${i}-easyRead`).trim(),
			hint: one(v, `questions-${i}-hint`).trim(),
			hidden: one(v, `questions-${i}-hidden`) === 'yes',
			byGroup,
			maxLength: one(v, `questions-${i}-maxLength`).trim(),
			required: one(v, `questions-${i}-required`) === 'yes'
		});
	}
	const field = (k: string) => one(v, k).trim();
	return {
		slug: field('slug'),
		title: field('title'),
		organisation: field('organisation'),
		description: field('description'),
		opensAt: field('opensAt'),
		closesAt: field('closesAt'),
		retentionUntil: field('retentionUntil'),
		privacyNotice: field('privacyNotice'),
		accessibilityStatement: field('accessibilityStatement'),
		groups,
		districts: one(v, 'districts'),
		questions,
		aboutAsked: EQUALITY_FIELDS.filter((f) => [v.aboutAsked ?? []].flat().includes(f))
	};
}

/** The next free question key (q1, q2 ...). */
export function nextKey(questions: { key: string }[]): string {
	const used = new Set(questions.map((q) => q.key));
	for (let n = 1; ; n++) if (!used.has(`q${n}`)) return `q${n}`;
}

/** "Add another question": an empty row with the next key (at most MAX_QUESTIONS). */
export function withQuestionAdded(d: Draft): Draft {
	if (d.questions.length >= MAX_QUESTIONS) return d;
	const q: DraftQuestion = {
		key: nextKey(d.questions),
		text: '',
		easyRead: '',
		hint: '',
		hidden: false,
		byGroup: {},
		maxLength: String(MAX_ANSWER_LENGTH),
		required: false
	};
	return { ...d, questions: [...d.questions, q] };
}

export function withGroupAdded(d: Draft): Draft {
	return { ...d, groups: [...d.groups, { code: '', label: '', easyReadLabel: '', hidden: false }] };
}

/** Groups pasted one a line as "code | label | easy-read label" (or just a label), added after the others. */
export function withGroupsPasted(d: Draft, pasted: string): Draft {
	const added = pasted
		.split(/\r?\n/)
		.map((line) => line.split(/\s*[|\t]\s*/).map((s) => s.trim()))
		.filter((parts) => parts.some(Boolean))
		.map(([a, b, c]) =>
			b === undefined
				? { code: codeFrom(a), label: a, easyReadLabel: '', hidden: false }
				: { code: a, label: b, easyReadLabel: c ?? '', hidden: false }
		);
	return { ...d, groups: [...d.groups, ...added] };
}

/** Drops one row ("groups-2" or "questions-0") from the draft; nothing is stored until Save. */
export function withRowRemoved(d: Draft, row: string): Draft {
	const m = /^(groups|questions)-(\d+)$/.exec(row);
	if (!m) return d;
	const i = Number(m[2]);
	if (m[1] === 'groups') return { ...d, groups: d.groups.filter((_, j) => j !== i) };
	return { ...d, questions: d.questions.filter((_, j) => j !== i) };
}

/** The areas list: "code | name" or "name" a line; blank lines ignored. */
export function districtsOf(text: string): { code: string; label: string }[] {
	return text
		.split(/\r?\n/)
		.map((line) => line.trim())
		.filter(Boolean)
		.map((line) => {
			const parts = line.split(/\s*[|\t]\s*/);
			return parts.length >= 2
				? { code: parts[0], label: parts.slice(1).join(' ') }
				: { code: codeFrom(line), label: line };
		});
}

/**
 * The draft as the object the consultation file schema parses, on top of the
 * stored definition (`base`): what the builder does not show (contact, results,
 * codebooks folder, per-group descriptions and ages, notes, anything added to the
 * file format later) is kept as it was.
 */
export function definitionInput(d: Draft, base: Partial<ConsultationFile>): Record<string, unknown> {
	const opt = (s: string) => (s === '' ? undefined : s);
	const baseGroups = new Map((base.groups ?? []).map((g) => [g.code, g]));
	const baseQuestions = new Map((base.questions ?? []).map((q) => [q.key, q]));
	return {
		...base,
		slug: d.slug,
		title: d.title,
		organisation: d.organisation,
		description: d.description,
		status: base.status ?? 'draft',
		opensAt: opt(d.opensAt) ?? null,
		closesAt: opt(d.closesAt) ?? null,
		retentionUntil: opt(d.retentionUntil) ?? null,
		privacyNotice: d.privacyNotice,
		accessibilityStatement: opt(d.accessibilityStatement),
		groups: d.groups.map((g) => ({
			...baseGroups.get(g.code),
			code: g.code,
			label: g.label,
			easyReadLabel: opt(g.easyReadLabel),
			hidden: g.hidden || undefined
		})),
		districts: districtsOf(d.districts),
		questions: d.questions.map((q) => {
			const byGroup = Object.fromEntries(
				Object.entries(q.byGroup)
					.filter(([g]) => d.groups.some((x) => x.code === g))
					.map(([g, w]) => [g, { text: w.text, easyRead: opt(w.easyRead) }])
			);
			return {
				...baseQuestions.get(q.key),
				key: q.key,
				text: q.text,
				easyRead: q.easyRead,
				hint: opt(q.hint),
				byGroup: Object.keys(byGroup).length ? byGroup : undefined,
				hidden: q.hidden || undefined,
				// The installation's maximum is the default: left out of the file, so files stay as they were.
				maxLength: limitOf(q.maxLength),
				required: q.required || undefined
			};
		}),
		// All of them is the default (left out of the file); any other choice is written.
		about: d.aboutAsked.length === EQUALITY_FIELDS.length ? undefined : { asked: d.aboutAsked }
	};
}

/** The typed character limit for the schema: a number when it is one, else the text (the schema says what is wrong). */
function limitOf(typed: string): number | string | undefined {
	const t = typed.trim().replace(/,/g, '');
	if (t === '' || t === String(MAX_ANSWER_LENGTH)) return undefined;
	return /^\d+$/.test(t) ? Number(t) : typed;
}

/** The page field a schema problem belongs to: ['groups', 0, 'code'] -> "groups-0-code". */
export function fieldIdOf(path: readonly PropertyKey[]): string {
	if (path.length === 0) return 'form';
	if (path[0] === 'districts') return 'districts';
	if (path[0] === 'questions' && path[1] === undefined) return 'questions-0-text';
	if (path[0] === 'groups' && path[1] === undefined) return 'groups-0-code';
	// A problem with a whole row (a duplicate key, say) is shown at the row's first field.
	if (path[0] === 'groups' && path.length === 2) return `groups-${String(path[1])}-code`;
	if (path[0] === 'questions' && path.length === 2) return `questions-${String(path[1])}-key`;
	return path.map(String).join('-');
}

/**
 * A new consultation from scratch: complete defaults an officer can keep or
 * change (the four groups the platform was built with, plus "other"; a privacy
 * notice and accessibility statement that are true of this platform; one
 * question to reword). Dates are left open.
 */
export function blankDefinition(slug: string, title: string, organisation: string): ConsultationFile {
	return {
		slug,
		title,
		organisation,
		description: `${organisation} wants to know what you think. Your answers will help us decide what to do next.`,
		status: 'draft',
		opensAt: null,
		closesAt: null,
		retentionUntil: null,
		privacyNotice:
			"You do not need to give your name. Your answers are anonymous: we do not ask who you are and we do not keep your computer's address. Only the council officers running this consultation read the answers. If you write something that makes us worried about someone's safety, a trained person at the council will read it so that they can help. We use the answers to write a report that never names anyone, and we delete the written answers when we no longer need them.",
		accessibilityStatement: `This survey is run by ${organisation}. You should be able to change colours and fonts, zoom in up to 400% without the text spilling off the screen, move through the survey using just a keyboard or speech recognition software, and listen to it using a screen reader. An easy read version of every page is available. It is designed to meet the Web Content Accessibility Guidelines version 2.2 AA standard.`,
		groups: [
			{ code: 'child', label: 'Child (12 or under)', easyReadLabel: 'A child aged 12 or under' },
			{ code: 'young_person', label: 'Young person (13 to 24)', easyReadLabel: 'A young person aged 13 to 24' },
			{ code: 'parent_carer', label: 'Parent or carer', easyReadLabel: 'A mum, dad or carer' },
			{ code: 'practitioner', label: 'Practitioner', easyReadLabel: 'Someone who works with children' },
			{ code: 'other', label: 'Other interested person', easyReadLabel: 'Someone else' }
		],
		districts: [],
		questions: [{ key: 'q1', text: 'What matters most to you?', easyRead: 'What matters most to you?' }]
	};
}
