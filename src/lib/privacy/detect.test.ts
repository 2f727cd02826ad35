import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findPersonalData, redact } from './detect';

const kinds = (t: string) => findPersonalData(t).map((f) => `${f.kind}:${f.text}`);

describe('emails', () => {
	it.each([
		['email me at jo.bloggs@example.co.uk please', 'jo.bloggs@example.co.uk'],
		['SARAH_99@hotmail.com', 'SARAH_99@hotmail.com'],
		['contact: parent+school@worcestershire.gov.uk.', 'parent+school@worcestershire.gov.uk']
	])('%s', (text, email) => {
		expect(kinds(text)).toContain(`email:${email}`);
	});
	it('ignores @mentions and bare @', () => {
		expect(kinds('follow @youthclub on insta, meet @ 5')).toEqual([]);
	});
	it.each([
		['email me jake at gmail dot com', 'jake at gmail dot com'],
		['JAKE AT GMAIL DOT COM', 'JAKE AT GMAIL DOT COM'],
		['jo dot smith (at) hotmail (dot) co (dot) uk thanks', 'jo dot smith (at) hotmail (dot) co (dot) uk'],
		['mum is sam[at]outlook[dot]com', 'sam[at]outlook[dot]com'],
		['try jake@gmail dot com', 'jake@gmail dot com']
	])('spelled out: %s', (text, email) => {
		expect(kinds(text)).toContain(`email:${email}`);
		expect(redact(text).text).not.toMatch(/gmail|hotmail|outlook/i);
	});
	it.each(['meet at the park at 5', 'I am good at maths', 'we went at dot of noon', 'look at the website dot'])(
		'no spelled email in %s',
		(t) => {
			expect(findPersonalData(t).filter((f) => f.kind === 'email')).toEqual([]);
		}
	);
});

describe('UK phone numbers', () => {
	it.each([
		['ring 07700 900123 after school', '07700 900123'],
		['office 01905 763763', '01905 763763'],
		['+44 7700 900123', '+44 7700 900123'],
		['(01905) 843658', '(01905) 843658'],
		['mob:07700900123', '07700900123'],
		['call 0121-496-0000 today', '0121-496-0000'],
		['+44 (0)1905 763763', '+44 (0)1905 763763'],
		['0800 123 4567 is free', '0800 123 4567']
	])('%s', (text, phone) => {
		expect(kinds(text)).toContain(`phone:${phone}`);
	});
	it.each([
		'In 2019 I was 14 and it cost £12.50',
		'about 300 people came, 1,200 signed up',
		'the 0 1 2 3 4 5 6 7 8 9 times table',
		'Year 10 and year 11 from 2021 to 2024',
		'bus 144 at 08:15',
		'I scored 0 goals in 12 matches',
		'ref 20240315 case'
	])('no phone in: %s', (text) => {
		expect(findPersonalData(text).filter((f) => f.kind === 'phone')).toEqual([]);
	});
});

describe('postcodes', () => {
	it.each([
		['I live in WR1 2AB', 'WR1 2AB'],
		['B98 0AA', 'B98 0AA'],
		['wr12ab', 'wr12ab'],
		['GIR 0AA', 'GIR 0AA'],
		['London SW1A 1AA', 'SW1A 1AA'],
		['EC1A 1BB.', 'EC1A 1BB'],
		['DY10 1AB', 'DY10 1AB'],
		['I live at WR1  2AB', 'WR1  2AB'],
		['WR1\t2AB', 'WR1\t2AB']
	])('%s', (text, pc) => {
		expect(kinds(text)).toContain(`postcode:${pc}`);
	});
	it.each(['year 10 is hard', 'A1 road', 'my PS5 is broken', 'COVID19 stuff'])('no postcode in %s', (t) => {
		expect(findPersonalData(t).filter((f) => f.kind === 'postcode')).toEqual([]);
	});
});

describe('addresses', () => {
	it.each([
		['I live at 12 Oak Road with my nan', '12 Oak Road'],
		['send it to 4 church street', '4 church street'],
		['we moved to 27a Lower Park Avenue', '27a Lower Park Avenue'],
		['3 Willow Close, Malvern', '3 Willow Close'],
		['Flat 2, 14 Foregate Street', 'Flat 2, 14 Foregate Street'],
		['our flat 7 is damp', 'flat 7'],
		['house number 42', 'house number 42']
	])('%s', (text, addr) => {
		expect(kinds(text)).toContain(`address:${addr}`);
	});
	it.each([
		'I walked 3 miles down the road',
		'there are 2 shops on our street',
		'it takes 20 minutes to walk to the park',
		'we need 5 more places to go',
		'3 people were on the green'
	])('no address in %s', (t) => {
		expect(findPersonalData(t).filter((f) => f.kind === 'address')).toEqual([]);
	});
});

describe('names', () => {
	it.each([
		['my teacher Mrs Jones is kind', 'Jones'],
		['Mr Patel helped me', 'Patel'],
		['Dr. Okafor said', 'Okafor'],
		['Miss Hughes', 'Hughes'],
		['my friend Jake said hi', 'Jake'],
		["my mum's boyfriend Dave shouts", 'Dave'],
		['there is a boy called Liam Walsh', 'Liam Walsh'],
		['my name is Amy', 'Amy'],
		["I'm Chloe and I'm 9", 'Chloe'],
		['my social worker Priya is great', 'Priya'],
		['my sister is called Ellie-May', 'Ellie-May'],
		["My name is Jake O'Neil", "Jake O'Neil"],
		['my friend D’Souza', 'D’Souza'],
		['my teacher Mr McDonald', 'McDonald'],
		['a boy called Ross MacLeod', 'Ross MacLeod']
	])('%s', (text, name) => {
		expect(kinds(text)).toContain(`name:${name}`);
	});
	it('finds lists of names after a plural cue', () => {
		expect(kinds('my friends Jake and Tom came')).toEqual(['name:Jake', 'name:Tom']);
	});
	it.each([
		'Worcester needs more buses',
		'I am Happy with the youth club',
		"I'm Worried about exams",
		'my friend and I go to Bromsgrove on Saturday',
		'The park in Redditch is good',
		'my teacher is nice',
		'I went to Malvern in August',
		'we are called Year 6',
		'Kidderminster and Wychavon',
		'I like it. Really I do.'
	])('no name in %s', (t) => {
		expect(findPersonalData(t).filter((f) => f.kind === 'name')).toEqual([]);
	});
});

describe('redact', () => {
	it('replaces each span and reports original offsets', () => {
		const text = 'Hi, my name is Amy, I live at 12 Oak Road WR1 2AB, call 07700 900123 or amy@example.com';
		const r = redact(text);
		expect(r.text).toBe('Hi, my name is [name], I live at [address] [postcode], call [phone] or [email]');
		for (const f of r.found) expect(text.slice(f.start, f.end)).toBe(f.text);
		expect(r.found.map((f) => f.kind)).toEqual(['name', 'address', 'postcode', 'phone', 'email']);
	});
	it('merges overlapping spans', () => {
		const found = findPersonalData('Flat 2, 14 Foregate Street');
		expect(found).toHaveLength(1);
		expect(found[0].kind).toBe('address');
	});
	it('leaves text without personal data alone', () => {
		const t = 'The youth club in Worcester is the best thing, please keep it open on Fridays!';
		expect(redact(t)).toEqual({ text: t, found: [] });
	});
	it('is idempotent on a realistic answer', () => {
		const once = redact('my teacher Mr Smith (01905 763763) at 5 High Street, WR1 1AA').text;
		expect(redact(once)).toEqual({ text: once, found: [] });
	});
});

describe('property tests', () => {
	const piece = fc.oneof(
		fc.string({ maxLength: 12 }),
		fc.constantFrom(
			' ',
			', ',
			'. ',
			'my friend ',
			'Mrs ',
			'Jake ',
			'called ',
			'I am ',
			'Amy',
			'07700 900123',
			'+44 ',
			'(01905) ',
			'843658',
			'WR1 2AB',
			'wr12ab',
			'12 ',
			'Oak ',
			'Road',
			'flat 3',
			'@',
			'a@b.co',
			'x.y@example.org',
			'[name]',
			'0',
			'44'
		)
	);
	const textArb = fc.array(piece, { maxLength: 20 }).map((a) => a.join(''));
	const opts = { numRuns: 3000, seed: 20240601 };

	it('never crashes and offsets are consistent', () => {
		fc.assert(
			fc.property(fc.oneof(textArb, fc.string({ maxLength: 200 })), (t) => {
				const found = findPersonalData(t);
				let prevEnd = 0;
				for (const f of found) {
					expect(f.start).toBeGreaterThanOrEqual(prevEnd);
					expect(f.end).toBeGreaterThan(f.start);
					expect(t.slice(f.start, f.end)).toBe(f.text);
					prevEnd = f.end;
				}
			}),
			opts
		);
	});

	it('output is never much longer than input, and redaction is idempotent', () => {
		fc.assert(
			fc.property(textArb, (t) => {
				const r = redact(t);
				expect(r.text.length).toBeLessThanOrEqual(t.length + 10 * r.found.length);
				expect(r.found.length).toBeLessThanOrEqual(Math.ceil(t.length / 2));
				expect(redact(r.text).text).toBe(r.text);
			}),
			opts
		);
	});

	it('no email, phone or postcode survives redaction', () => {
		fc.assert(
			fc.property(textArb, (t) => {
				const left = findPersonalData(redact(t).text).filter((f) => f.kind !== 'name' && f.kind !== 'address');
				expect(left).toEqual([]);
			}),
			opts
		);
	});
});
