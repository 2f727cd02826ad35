import QRCode from 'qrcode';
import { wordingFor, type ConsultationView } from '../consultations/queries';
import { contactLine } from '../../domain/consultation-content';
import { surveyHref } from '../../domain/survey-links';
import { listWithAnd, startFacts } from '../../domain/start-page';

/**
 * The survey on paper (for a library table or a school lesson) and its poster.
 * Both are built from the same consultation the online survey uses, so the
 * printed wording is each group's own wording, standard or easy read.
 */
export function paperVersion(c: ConsultationView, easy: boolean) {
	return {
		slug: c.slug,
		title: c.title,
		organisation: c.organisation,
		description: c.description,
		contact: contactLine(c.content.contact),
		districts: c.districts.map((d) => d.label),
		// What the first page promises (every question optional or not, a "where do you live" box) comes from
		// the consultation itself, as on the online start page, not from the Worcestershire consultation.
		facts: startFacts(c),
		groups: c.groups.map((g) => ({
			code: g.code,
			label: easy ? (g.easyReadLabel ?? g.label) : g.label,
			questions: c.questions.map((q, i) => ({
				number: i + 1,
				key: q.key,
				text: wordingFor(q, g.code, easy),
				required: q.required,
				// Shown to the officer on screen only: the printed page must not carry an internal note.
				wordingToConfirm: q.wordingToConfirm
			}))
		})),
		unconfirmed: c.questions.filter((q) => q.wordingToConfirm).map((q) => q.key.toUpperCase())
	};
}

/** The options the poster's QR code is drawn with (tests draw the expected code with the same ones). */
export const QR_OPTIONS = { type: 'svg', errorCorrectionLevel: 'M', margin: 4 } as const;

/** The address the poster's QR code opens: the survey's start page on this site. */
export function surveyUrl(origin: string, slug: string): string {
	return new URL(surveyHref(slug, '', false), origin).href;
}

/** A4 poster: the consultation, a QR code (SVG, drawn on the server) and a short address to type. */
export async function posterFor(c: ConsultationView, origin: string) {
	const url = surveyUrl(origin, c.slug);
	const qrSvg = await QRCode.toString(url, QR_OPTIONS);
	const facts = startFacts(c);
	return {
		title: c.title,
		// Who is asked and how long it takes, from the consultation (a youth-club survey is not for "everyone who
		// works with" children, and three questions do not take ten minutes).
		groups: listWithAnd(facts.groups, 'en-GB'),
		minutes: facts.minutes,
		organisation: c.organisation,
		url,
		shortLink: c.content.shortLink ?? url.replace(/^https?:\/\//, ''),
		closesAt: c.closesAt,
		qrSvg
	};
}
