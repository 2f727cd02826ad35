/**
 * Personal data detection and redaction for free-text answers.
 *
 * Rule-based and deliberately simple: emails, UK phone numbers, UK postcodes,
 * street addresses (number + name + street word, and flat/house numbers), and
 * people's names where a cue makes a name likely ("my teacher", "Mrs", "called",
 * "my name is", "I'm" ...). Pure functions, no I/O.
 */

export type PersonalDataKind = 'email' | 'phone' | 'postcode' | 'address' | 'name';

export interface PersonalDataSpan {
	kind: PersonalDataKind;
	start: number;
	end: number;
	text: string;
}

export interface RedactResult {
	text: string;
	found: PersonalDataSpan[];
}

// ── Email ───────────────────────────────────────────────────────────────────
const EMAIL_RE =
	/(?<![A-Za-z0-9._%+\-\]])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,63})@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}(?![A-Za-z0-9-])/g;
// Spelled out to dodge filters or because a child writes it as said aloud:
// "jake at gmail dot com", "jo dot smith (at) hotmail (dot) co (dot) uk". Only
// counted when it ends in "dot" + a common top-level domain, so "meet at the
// park" or "good at maths" are never taken for an address.
const SPELLED_AT = String.raw`(?:\s*@\s*|\s*[(\[]\s*at\s*[)\]]\s*|\s+at\s+)`;
const SPELLED_DOT = String.raw`(?:\.|\s*[(\[]\s*dot\s*[)\]]\s*|\s+dot\s+)`;
const EMAIL_LABEL = String.raw`[A-Za-z0-9](?:[A-Za-z0-9\-]{0,62})`;
const COMMON_TLDS = 'com|co|uk|org|net|gov|ac|sch|nhs|edu|io|me|info|biz|eu|ie|us';
const SPELLED_EMAIL_RE = new RegExp(
	String.raw`(?<![A-Za-z0-9._%+\-])[A-Za-z0-9][A-Za-z0-9_%+\-]{0,63}(?:${SPELLED_DOT}[A-Za-z0-9_%+\-]{1,63}){0,3}${SPELLED_AT}${EMAIL_LABEL}(?:${SPELLED_DOT}${EMAIL_LABEL}){0,3}${SPELLED_DOT}(?:${COMMON_TLDS})(?![A-Za-z0-9])`,
	'gi'
);

// ── Phone ───────────────────────────────────────────────────────────────────
// A candidate starts with +44 / 0044 / 0 (optionally bracketed) and continues
// with digits and single separators; it is accepted only if it normalises to a
// UK number of the right length and prefix.
const PHONE_RE = /(?<![\w+\]])(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?|\(?0)\d(?:[\s\-.]?\(?\)?\s?\d){7,11}(?![\d])/g;

function validPhone(candidate: string): boolean {
	let digits = candidate.replace(/\D/g, '');
	if (/^(?:00)?44/.test(candidate.replace(/[^\d+]/g, '').replace(/^\+/, ''))) {
		digits = digits.replace(/^(?:00)?44/, '');
		if (digits.startsWith('0')) digits = digits.slice(1);
		digits = '0' + digits;
	}
	if (!/^0[1-9]/.test(digits)) return false;
	if (
		digits.startsWith('07') ||
		digits.startsWith('01') ||
		digits.startsWith('02') ||
		digits.startsWith('03') ||
		digits.startsWith('08')
	) {
		if (digits.length === 11) return sensibleGroups(candidate);
		// A few 01 areas have 10-digit numbers (e.g. 016977 xxxx), and 0800 has 10-digit numbers.
		if (digits.length === 10 && (digits.startsWith('01') || digits.startsWith('0800')))
			return sensibleGroups(candidate);
	}
	return false;
}

/** Reject digit runs broken into many tiny groups ("0 1 2 3 4 5 6 7 8 9"). */
function sensibleGroups(candidate: string): boolean {
	const groups = candidate
		.replace(/^\+?\s*(?:00)?44/, '')
		.split(/[\s\-.()]+/)
		.filter(Boolean);
	return groups.length <= 4 && groups.every((g, i) => g.length >= 2 || (i === 0 && groups.length <= 3));
}

// ── Postcode ────────────────────────────────────────────────────────────────
// The gap between the two halves may be missing or typed as several spaces or a tab ("WR1  2AB").
const POSTCODE_RE =
	/(?<![A-Za-z0-9\]])(?:GIR[ \t\u00a0]{0,3}0AA|(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])[ \t\u00a0]{0,3}[0-9][ABD-HJLNP-UW-Z]{2})(?![A-Za-z0-9])/gi;

// ── Address ─────────────────────────────────────────────────────────────────
const STREET_WORDS =
	'road|rd|street|st|lane|ln|avenue|ave|close|cl|drive|dr|way|crescent|cres|court|ct|place|pl|grove|gardens|gdns|terrace|walk|row|square|sq|mews|rise|parade|mount|vale|croft|meadow|meadows|hill|view|park|green|wharf|fields|chase|glade|boulevard';
/** Words that cannot be part of a street name ("3 miles down the road"). */
const NOT_STREET_NAME = new Set(
	(
		'the a an to down up along across on in of at by from into onto over my our your his her their this that these those ' +
		'miles mile mins minutes minute hours hour times time km metres meters yards steps more other and or but is are was were ' +
		'be been i we you they he she it me us them every each some any no not near off out around round about than then so ' +
		'year years old days day weeks week people kids children cars buses bus houses shops'
	).split(' ')
);
const ADDRESS_RE = new RegExp(
	String.raw`(?<![\w£$.\]])(?:(?:flat|apartment|apt|unit)\s+\d{1,4}[a-z]?\s*,?\s+)?\d{1,4}[a-z]?(?:\s*-\s*\d{1,4})?,?\s+((?:[A-Za-z][A-Za-z'’\-]*\s+){1,3})(?:${STREET_WORDS})\b\.?`,
	'gi'
);
const FLAT_RE = /(?<![A-Za-z0-9\]])(?:flat|apartment|apt|house number|house no\.?)\s*\d{1,4}[a-z]?\b/gi;

// ── Names ───────────────────────────────────────────────────────────────────
/** Capitalised words that are not names (places, days, months, common words). */
const NOT_A_NAME = new Set(
	(
		"i im i'm a an the and but or so if then also too very really just not no yes ok okay sorry please thanks thank " +
		'monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october november december ' +
		'mon tue tues wed thu thur thurs fri sat sun jan feb mar apr jun jul aug sep sept oct nov dec christmas easter ' +
		'worcester worcestershire bromsgrove redditch malvern wychavon kidderminster evesham pershore droitwich wyre forest tenbury upton stourport bewdley ' +
		'birmingham london england uk britain wales scotland ireland coventry dudley hereford gloucester ' +
		'year years school college primary secondary academy council camhs nhs police gp doctor nurse teacher mum mom dad ' +
		'happy sad scared worried angry fine good bad sick ill tired bored lonely upset excited nervous anxious okay alright ' +
		'going doing getting feeling being trying looking living staying working coming leaving moving ' +
		'here there home at in on with from for to of by about because when where what who how why which that this these those ' +
		'he she they we you it my your his her our their me him them us ' +
		'not never always sometimes often usually still only even quite pretty kind nice lovely great new old big little young ' +
		'blobby santa god jesus allah mr mrs ms miss mx dr sir dame'
	).split(/\s+/)
);

// Also surnames with a prefix: O'Neil, D'Souza, McDonald, MacLeod.
const NAME_WORD = String.raw`(?:[OD]['’])?(?:Ma?c)?[A-Z][a-z]+(?:['’\-][A-Z]?[a-z]+)?`;
/** Cues after which a capitalised word is very likely a person's name. */
const TITLE_RE = new RegExp(
	String.raw`(?<![A-Za-z])(?:Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Dame)\.?\s+(${NAME_WORD}(?:\s+${NAME_WORD})?)`,
	'g'
);
const RELATION =
	'teacher|teachers|friend|friends|best friend|bestie|bff|mate|mates|brother|brothers|sister|sisters|cousin|cousins|' +
	'boyfriend|girlfriend|partner|husband|wife|son|daughter|child|stepdad|step dad|stepmum|step mum|stepbrother|stepsister|' +
	'uncle|aunt|auntie|nan|nana|grandad|grandma|granddad|gran|neighbour|social worker|key worker|keyworker|youth worker|' +
	"support worker|foster carer|carer|tutor|coach|form tutor|headteacher|head teacher|mum's boyfriend|mums boyfriend|" +
	"dad's girlfriend|dads girlfriend|mum's partner|dad's partner|ex|baby|little brother|little sister|big brother|big sister|older brother|older sister|younger brother|younger sister";
/** Case-insensitive version of a literal cue, for use in a case-sensitive pattern. */
function ci(literal: string): string {
	return literal
		.replace(/[a-z]/g, (c) => `[${c}${c.toUpperCase()}]`)
		.replace(/ /g, String.raw`\s+`)
		.replace(/'/g, "['’]");
}
const STRONG_CUES = [
	...RELATION.split('|').flatMap((r) => ['my', 'our', 'his', 'her', 'their'].map((p) => `${p} ${r}`)),
	'called',
	'named',
	'name is',
	"name's",
	'names'
];
const WEAK_CUE_LIST = ['i am', "i'm", 'im', 'this is', 'ask for', 'speak to', 'talk to'];
const CUE_RE = new RegExp(
	String.raw`(?<![A-Za-z])(?:(${STRONG_CUES.map(ci).join('|')})(?:\s+(?:is|was|called|named))?|(${WEAK_CUE_LIST.map(ci).join('|')}))\s*,?\s+(${NAME_WORD}(?:\s+${NAME_WORD})?(?:\s*(?:,|and|&)\s*${NAME_WORD})*)`,
	'g'
);

function nameSpans(text: string): PersonalDataSpan[] {
	const out: PersonalDataSpan[] = [];
	const pushWords = (group: string, groupStart: number) => {
		const wordRe = new RegExp(NAME_WORD, 'g');
		let w: RegExpExecArray | null;
		let spanStart = -1;
		let spanEnd = -1;
		const flush = () => {
			if (spanStart >= 0)
				out.push({ kind: 'name', start: spanStart, end: spanEnd, text: text.slice(spanStart, spanEnd) });
			spanStart = -1;
		};
		while ((w = wordRe.exec(group)) !== null) {
			const word = w[0];
			const base = word.toLowerCase().replace(/['’]s$/, '');
			if (NOT_A_NAME.has(base)) {
				flush();
				break;
			}
			const s = groupStart + w.index;
			const e = s + word.replace(/['’]s$/, '').length;
			if (spanStart >= 0 && /^[\s]+$/.test(text.slice(spanEnd, s))) spanEnd = e;
			else {
				flush();
				spanStart = s;
				spanEnd = e;
			}
		}
		flush();
	};
	TITLE_RE.lastIndex = 0;
	let m: RegExpExecArray | null;
	while ((m = TITLE_RE.exec(text)) !== null) {
		const groupStart = m.index + m[0].length - m[1].length;
		pushWords(m[1], groupStart);
	}
	CUE_RE.lastIndex = 0;
	while ((m = CUE_RE.exec(text)) !== null) {
		const group = m[3];
		const groupStart = m.index + m[0].length - group.length;
		pushWords(group, groupStart);
		// Let a cue inside the captured run ("my friend Jo and my sister Amy") be seen too.
		CUE_RE.lastIndex = Math.max(m.index + 1, groupStart);
	}
	return out;
}

function collect(
	re: RegExp,
	text: string,
	kind: PersonalDataKind,
	accept?: (s: string, m: RegExpExecArray) => boolean
): PersonalDataSpan[] {
	const out: PersonalDataSpan[] = [];
	re.lastIndex = 0;
	let m: RegExpExecArray | null;
	while ((m = re.exec(text)) !== null) {
		if (m[0].length === 0) {
			re.lastIndex++;
			continue;
		}
		let s = m[0];
		const start = m.index;
		// Trim trailing separators/punctuation the pattern may have swallowed.
		const trimmed = s.replace(/[\s,.\-(]+$/, '');
		s = trimmed;
		if (accept && !accept(s, m)) continue;
		out.push({ kind, start, end: start + s.length, text: s });
	}
	return out;
}

const KIND_PRIORITY: Record<PersonalDataKind, number> = { email: 5, phone: 4, postcode: 3, address: 2, name: 1 };

/** Find personal data in free text. Spans are sorted, non-overlapping, with offsets into `text`. */
export function findPersonalData(text: string): PersonalDataSpan[] {
	if (typeof text !== 'string' || text.length === 0) return [];
	const spans: PersonalDataSpan[] = [
		...collect(EMAIL_RE, text, 'email'),
		...collect(SPELLED_EMAIL_RE, text, 'email'),
		...collect(PHONE_RE, text, 'phone', (s) => validPhone(s)),
		...collect(POSTCODE_RE, text, 'postcode'),
		...collect(ADDRESS_RE, text, 'address', (_s, m) => {
			const words = m[1]
				.trim()
				.split(/\s+/)
				.map((w) => w.toLowerCase());
			return words.every((w) => !NOT_STREET_NAME.has(w));
		}),
		...collect(FLAT_RE, text, 'address'),
		...nameSpans(text)
	];
	// Emails swallow anything inside them (a name or postcode-looking local part).
	spans.sort((a, b) => a.start - b.start || b.end - a.end || KIND_PRIORITY[b.kind] - KIND_PRIORITY[a.kind]);
	const merged: PersonalDataSpan[] = [];
	for (const s of spans) {
		const last = merged[merged.length - 1];
		if (last && s.start < last.end) {
			const end = Math.max(last.end, s.end);
			// Keep the kind of the longer span; ties go to the more specific kind.
			const lastLen = last.end - last.start;
			const sLen = s.end - s.start;
			const kind =
				sLen > lastLen || (sLen === lastLen && KIND_PRIORITY[s.kind] > KIND_PRIORITY[last.kind]) ? s.kind : last.kind;
			merged[merged.length - 1] = { kind, start: last.start, end, text: text.slice(last.start, end) };
		} else merged.push({ ...s });
	}
	return merged;
}

const PLACEHOLDER: Record<PersonalDataKind, string> = {
	email: '[email]',
	phone: '[phone]',
	postcode: '[postcode]',
	address: '[address]',
	name: '[name]'
};

/** Replace personal data with [email], [phone], [postcode], [address], [name]. `found` offsets refer to the input. */
export function redact(text: string): RedactResult {
	if (typeof text !== 'string' || text.length === 0) return { text: typeof text === 'string' ? text : '', found: [] };
	const found = findPersonalData(text);
	let out = '';
	let pos = 0;
	for (const f of found) {
		out += text.slice(pos, f.start) + PLACEHOLDER[f.kind];
		pos = f.end;
	}
	out += text.slice(pos);
	return { text: out, found };
}
