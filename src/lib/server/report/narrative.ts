/**
 * The report's narrative: sections officers write in Markdown (introduction, method,
 * findings per question, conclusions). The method section starts as a draft made from
 * the data (channels, dates, sessions and venues, how answers were themed and checked);
 * once saved it is the officer's text. Saves are audited (field names only, never the
 * words) and all or nothing.
 */
import { z } from 'zod';
import type { Db } from '../db/connect';
import type { ConsultationView } from '../consultations/queries';
import type { HeadlineFigures } from '../analysis/dashboard';
import type { CollectionMethod } from '../analysis/method';
import type { MethodStatement } from '../../analysis/method';
import { audit } from '../audit';
import { nowIso } from '../util/time';
import { longDate } from '../../i18n/format';
import { MAX_SECTION, renderMarkdown } from '../../report/markdown';

export interface SectionSpec {
	key: string;
	title: string;
	hint: string;
}

/** The sections of a consultation's report, in order. */
export function sectionSpecs(c: Pick<ConsultationView, 'questions'>): SectionSpec[] {
	return [
		{ key: 'introduction', title: 'Introduction', hint: 'Why the council asked, and whom.' },
		{
			key: 'method',
			title: 'How we asked',
			hint: 'Prefilled from the data until you save it: channels, dates, sessions, how answers were themed and checked.'
		},
		...c.questions.map((q) => ({
			key: `findings:${q.key}`,
			title: `Findings: ${q.key.toUpperCase()}`,
			hint: 'What the answers to this question say, in your words (the tables and charts follow it).'
		})),
		{ key: 'conclusions', title: 'Conclusions', hint: 'What the council will do next.' }
	];
}

export interface NarrativeSection extends SectionSpec {
	/** The Markdown as saved, or the draft when nothing is saved yet. */
	body: string;
	/** Sanitised HTML of `body`. */
	html: string;
	saved: boolean;
	updatedAt: string | null;
}

export interface NarrativeFacts {
	headline: HeadlineFigures;
	method: CollectionMethod;
	coding: MethodStatement;
	demo: number;
}

/** The report is in English; a day is the date as stored (its first ten characters). */
const day = (d: string | null) => (d ? longDate(d.slice(0, 10), 'en-GB') : '');

/** The method section's first draft, from the data behind the report. */
export function methodDraft(f: NarrativeFacts): string {
	const m = f.method;
	const when = m.firstDay && m.lastDay ? ` between ${day(m.firstDay)} and ${day(m.lastDay)}` : '';
	const venues = [
		m.libraries ? `${m.libraries} ${m.libraries === 1 ? 'library' : 'libraries'}` : '',
		m.otherVenues ? `${m.otherVenues} other ${m.otherVenues === 1 ? 'venue' : 'venues'}` : ''
	]
		.filter(Boolean)
		.join(' and ');
	const lines = [
		`We received ${f.headline.submissions} responses${when}: ${f.headline.online} through the online survey and ${f.headline.faceToFace} face to face` +
			(m.sessions
				? ` in ${m.sessions.toLocaleString('en-GB')} collection sessions${venues ? ` at ${venues}` : ''}${m.f2fWeeks ? ` over ${m.f2fWeeks} weeks` : ''}`
				: '') +
			(f.headline.otherChannels !== '0' ? `; ${f.headline.otherChannels} were imported from other channels` : '') +
			'.',
		'',
		f.coding.coding,
		'',
		f.coding.agreement,
		'',
		f.coding.tickRule
	];
	return lines.join('\n');
}

/** Every section with its saved text (or draft) rendered. */
export async function narrativeSections(
	db: Db,
	c: ConsultationView,
	facts: NarrativeFacts
): Promise<NarrativeSection[]> {
	const rows = await db
		.selectFrom('report_section')
		.select(['key', 'body', 'updated_at'])
		.where('consultation_id', '=', c.id)
		.execute();
	return sectionSpecs(c).map((s) => {
		const row = rows.find((r) => r.key === s.key);
		const body = row?.body ?? (s.key === 'method' ? methodDraft(facts) : '');
		return {
			...s,
			body,
			html: body ? renderMarkdown(body) : '',
			saved: Boolean(row),
			updatedAt: row?.updated_at ?? null
		};
	});
}

/** The form that saves one section. */
export function sectionSchema(c: Pick<ConsultationView, 'questions'>) {
	const keys = sectionSpecs(c).map((s) => s.key);
	return z.object({
		section: z.string().refine((k) => keys.includes(k), 'Choose a section of this report'),
		body: z
			.string()
			.optional()
			.transform((v) => (v ?? '').replace(/\r\n?/g, '\n').trim())
			.pipe(
				z.string().max(MAX_SECTION, `The section must be ${MAX_SECTION.toLocaleString('en-GB')} characters or fewer`)
			)
	});
}

/** Saves (or, when empty, clears back to its draft) one section. Audited. */
export async function saveSection(
	db: Db,
	consultationId: number,
	key: string,
	body: string,
	user: { id: number }
): Promise<void> {
	await db.transaction().execute(async (tx) => {
		await tx
			.deleteFrom('report_section')
			.where('consultation_id', '=', consultationId)
			.where('key', '=', key)
			.execute();
		if (body)
			await tx
				.insertInto('report_section')
				.values({ consultation_id: consultationId, key, body, updated_at: nowIso(), updated_by: user.id })
				.execute();
		await audit(tx, {
			userId: user.id,
			action: body ? 'report.section.save' : 'report.section.clear',
			entity: 'consultation',
			entityId: consultationId,
			detail: { section: key }
		});
	});
}
