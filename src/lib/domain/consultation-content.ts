/**
 * The privacy notice, accessibility statement and "what happens next" of a
 * consultation, complete even when its file says little: each part the council
 * wrote is used as written, and each part it left out gets a default that is
 * true of this platform. Pure: no framework, no database.
 */
import type { ConsultationContentFields } from '../schemas/consultation-file';

export interface Contact {
	name: string;
	phone?: string;
	email?: string;
	address?: string;
	web?: string;
}

export interface ConsultationContent {
	contact: Contact;
	dataProtectionOfficer: Contact;
	/** Sections in reading order: heading and paragraphs. */
	privacy: { heading: string; paragraphs: string[] }[];
	accessibility: { heading: string; paragraphs: string[] }[];
	results: { when: string; where: string };
	shortLink: string | null;
}

export interface ContentSource {
	organisation: string;
	title: string;
	opensAt: string | null;
	closesAt: string | null;
	retentionUntil: string | null;
	fields: ConsultationContentFields;
}

const ICO =
	"You can also complain to the Information Commissioner's Office (ICO), the UK's independent regulator for data protection: ico.org.uk/make-a-complaint, telephone 0303 123 1113, or write to Information Commissioner's Office, Wycliffe House, Water Lane, Wilmslow, Cheshire SK9 5AF.";

const EHRC =
	"The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the 'accessibility regulations'). If you are not happy with how we respond to your complaint, contact the Equality Advisory and Support Service (EASS): equalityadvisoryservice.com, telephone 0808 800 0082.";

function longDate(iso: string, withDay = true): string {
	const d = new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso);
	return d.toLocaleDateString(
		'en-GB',
		withDay ? { day: 'numeric', month: 'long', year: 'numeric' } : { month: 'long', year: 'numeric' }
	);
}

/** "the Children's team, 01905 763763, team@example.gov.uk" — every way to reach a contact, in one line. */
export function contactLine(c: Contact): string {
	return [
		c.name,
		c.phone && `telephone ${c.phone}`,
		c.email && `email ${c.email}`,
		c.web,
		c.address && `or write to ${c.address}`
	]
		.filter(Boolean)
		.join(', ');
}

const paras = (text: string) =>
	text
		.split(/\n\s*\n/)
		.map((p) => p.trim())
		.filter(Boolean);

export function consultationContent(src: ContentSource): ConsultationContent {
	const f = src.fields;
	const org = src.organisation;
	const contact: Contact = f.contact ?? { name: org };
	const dpo: Contact = {
		name: f.dataProtectionOfficer?.name ?? `${org}'s data protection officer`,
		...f.dataProtectionOfficer,
		...(f.dataProtectionOfficer?.phone || f.dataProtectionOfficer?.email || f.dataProtectionOfficer?.address
			? {}
			: { address: contact.address ? `${contact.address} (mark the letter "Data protection officer")` : undefined })
	};
	if (!dpo.address) delete dpo.address;
	const p = f.privacy ?? {};
	const a = f.accessibility ?? {};
	const retention = src.retentionUntil
		? `We keep the written answers until ${longDate(src.retentionUntil, false)} at the latest, then delete them. After that we keep only counts and themes (for example "120 young people mentioned transport"), which cannot identify anyone. Survey answers you started but did not send are deleted automatically within hours.`
		: 'We keep the written answers only as long as we need them to write the plan and report on it, then delete them, keeping only counts and themes that cannot identify anyone. Survey answers you started but did not send are deleted automatically within hours.';

	const privacy = [
		{
			heading: 'Who is responsible for your information',
			text:
				p.controller ??
				`${org} is the data controller for this consultation: it decides how your answers are used and keeps them safe.`
		},
		{
			heading: 'What we collect',
			text:
				p.collected ??
				'Your answers to the questions; who you answered as (for example a parent or carer); the district you live in, if you say; and the "About you" answers you choose to give (age band, gender, disability, ethnic group and, for people aged 16 or over, sexual orientation). We also keep the date you sent your answers and a reference code.\n\nWe do not ask for your name, email or address, and we do not keep your computer\'s address (IP address). If you write something that could identify you or someone else, such as a name or phone number, it is hidden from the people analysing the answers.'
		},
		{
			heading: 'Why we use it',
			text:
				p.purposes ??
				`To find out what matters to the people who answer, to write the plan and to publish a report about what people told us. The report never names anyone. The "About you" answers help us check that we have heard from all kinds of people.`
		},
		{
			heading: 'Our lawful basis',
			text:
				p.lawfulBasis ??
				'We use your answers because it is part of our public task (UK GDPR Article 6(1)(e)): councils must plan their services for children and families and consult the people who use them.\n\nThe "About you" answers about health, ethnic group and sexual orientation are special category data. We use them only to check equality of opportunity, under UK GDPR Article 9(2)(g) (substantial public interest) and the Data Protection Act 2018, Schedule 1, paragraph 8.\n\nIf you write something that makes us worried that someone may be harmed, a trained safeguarding officer at the council will read it so they can help (Data Protection Act 2018, Schedule 1, paragraph 18: safeguarding of children and of individuals at risk).'
		},
		{
			heading: 'Who sees your answers',
			text:
				p.sharing ??
				`Only the ${org} officers working on the consultation, and the council's safeguarding officers if you tell us someone may not be safe. We do not sell your answers or give them to anyone else, unless the law requires it.`
		},
		{ heading: 'How long we keep it', text: p.retention ?? retention },
		{
			heading: 'Your rights',
			text:
				p.rights ??
				`You have the right to see the answers we hold from you, to have them corrected or deleted, to ask us to restrict how we use them and to object to us using them. Because we do not know who you are, we can find your answers only from the reference you are given when you send them: keep it. To use any of these rights, contact ${contactLine(contact)}.`
		},
		{
			heading: 'Contact and data protection officer',
			text: `For questions about this consultation, contact ${contactLine(contact)}.\n\nYou can contact the data protection officer: ${contactLine(dpo)}.`
		},
		{
			heading: 'How to complain',
			text:
				p.complaints ??
				`If you are unhappy with how we have used your information, please tell us first: contact ${contactLine(contact)}.\n\n${ICO}`
		}
	];

	const accessibility = [
		{
			heading: 'Compliance status',
			text:
				a.compliance ??
				'This survey is partially compliant with the Web Content Accessibility Guidelines (WCAG) version 2.2 AA standard. Every page is checked with automated tests (axe-core) in standard and easy read, with and without JavaScript, and has been tried with a keyboard only and at 400% zoom. It has not yet been audited by an accessibility specialist, so we do not claim full compliance.'
		},
		{
			heading: 'Content that is not accessible',
			text:
				a.nonAccessible ??
				`The QR code on our posters cannot be used by people who cannot see it: the short web address printed beside it opens the same survey. The printed paper version cannot be read by people who cannot read print: ask us for another format. The survey's pages are in English, Welsh, Polish and Urdu (the Polish and Urdu wording is still being checked by translators); some parts, such as the "About you" questions, are in English only for now, as are a consultation's own questions until they are translated. You can answer in any language, and answers in languages written right to left, such as Urdu or Arabic, are shown right to left.`
		},
		{
			heading: 'Feedback and other formats',
			text:
				a.feedback ??
				`If you find a problem, or need the survey in another format such as large print, paper or another language, contact ${contactLine(contact)}. We aim to reply within 5 working days.`
		},
		{ heading: 'Enforcement procedure', text: a.enforcement ?? EHRC },
		{
			heading: 'Preparation of this statement',
			text: `This statement was prepared on ${longDate(a.preparedOn ?? src.opensAt ?? new Date().toISOString().slice(0, 10))}. It is reviewed whenever the survey changes.`
		}
	];

	const results = {
		when:
			f.results?.when ??
			(src.closesAt
				? `We will publish what people told us within three months of the survey closing on ${longDate(src.closesAt)}.`
				: 'We will publish what people told us after the survey closes.'),
		where: f.results?.where ?? `The report will be on ${org}'s website. It will not name anyone.`
	};

	return {
		contact,
		dataProtectionOfficer: dpo,
		privacy: privacy.map((s) => ({ heading: s.heading, paragraphs: paras(s.text) })),
		accessibility: accessibility.map((s) => ({ heading: s.heading, paragraphs: paras(s.text) })),
		results,
		shortLink: f.shortLink ?? null
	};
}
