/**
 * The shipped Worcestershire codebooks understand how children and young people write (issue #12
 * item 2), and how adults describe themselves is not a theme — with the codebook-only coder, the
 * one the app uses before anyone has coded an answer by hand.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCodebook, trainCoder, type Coder } from '../src/lib/themes/index';
import { SHIPPED_CODEBOOK_DIR } from '../src/lib/domain/shipped-consultation';

const dir = SHIPPED_CODEBOOK_DIR;
const coders = new Map<string, Coder>();
const coder = (q: string) => {
	if (!coders.has(q)) coders.set(q, trainCoder(parseCodebook(fs.readFileSync(path.join(dir, `${q}.json`), 'utf8'))));
	return coders.get(q)!;
};
const themes = (q: string, text: string) =>
	coder(q)
		.code(text)
		.map((t) => t.id);

/** [answer as a child or young person writes it, a theme it must get] per codebook. */
const CHILDREN: Record<string, [string, string][]> = {
	q1: [
		['my nan', 'family'],
		['my mum and dad', 'family'],
		['my little sister', 'family'],
		['my fam', 'family'],
		['my famly', 'family'],
		['my best frend', 'friends'],
		['my bff', 'friends'],
		['getting on with people', 'friends'],
		['people who get me', 'friends'],
		['games', 'activities'],
		['playing minecraft', 'activities'],
		['playing out', 'activities'],
		['going to the park', 'activities'],
		['places to hang out', 'activities'],
		['being myself', 'happiness-wellbeing'],
		['not being sad', 'happiness-wellbeing'],
		['my fone', 'technology'],
		['footy', 'sports-activity'],
		['trampolining', 'sports-activity'],
		['my doggy', 'pets'],
		['skool', 'education'],
		['people being nice', 'love-respect'],
		['being safe at home', 'safety']
	],
	q2: [
		['nowhere to play', 'lack-of-activities'],
		['nuffin to do', 'lack-of-activities'],
		['not enough to do', 'lack-of-activities'],
		['its boring', 'lack-of-activities'],
		['people being mean', 'getting-along'],
		['people being mean to me', 'getting-along'],
		['ppl being mean', 'getting-along'],
		['people not being kind', 'getting-along'],
		['getting on with people', 'getting-along'],
		['no one to play with', 'getting-along'],
		['falling out with friends', 'getting-along'],
		['people being mean online', 'social-media-bullying'],
		['people posting stuff about you', 'social-media-bullying'],
		['bulying', 'social-media-bullying'],
		['feeling low', 'mental-health'],
		['feeling sad all the time', 'mental-health'],
		['too much homework', 'education-pressure'],
		['school is hard', 'education-pressure'],
		['no park near my house', 'nowhere-safe-to-go'],
		['mum and dad arguing', 'family-problems'],
		['not enough money', 'money-poverty']
	],
	q3: [
		['a bigger park', 'affordable-activities'],
		['a skate park', 'affordable-activities'],
		['free swimming', 'affordable-activities'],
		['more clubs', 'affordable-activities'],
		['playing with my mum and dad more', 'time-friends-family'],
		['more time with my family', 'time-friends-family'],
		['seeing my dad more', 'time-friends-family'],
		['seeing my nan', 'time-friends-family'],
		['everyone being kind', 'less-bullying-more-friends'],
		['no bullying', 'less-bullying-more-friends'],
		['more friends', 'less-bullying-more-friends'],
		['people being nice', 'less-bullying-more-friends'],
		['nicer teachers', 'better-schools'],
		['less homework', 'better-schools'],
		['someone to talk to', 'mental-health-support'],
		['no bad people', 'safer-places'],
		['listen to kids', 'listened-to']
	],
	q4: [
		['more places to play', 'parks-green-spaces'],
		['bigger playgrounds', 'parks-green-spaces'],
		['more trees', 'parks-green-spaces'],
		['no bad people', 'safe-streets'],
		['a trampoline park', 'things-to-do'],
		['more fun things to do', 'things-to-do'],
		['everyone being friendly', 'friendly-communities'],
		['people being nice', 'friendly-communities'],
		['no litter', 'clean-environment'],
		['my nan', 'family-friends']
	],
	q5: [
		['come to the library', 'face-to-face-events'],
		['come to our school', 'face-to-face-events'],
		['actually listen', 'listen-ask-us'],
		['ask children what they think', 'listen-ask-us'],
		['ask us at school', 'school-councils'],
		['through the school council', 'school-councils'],
		['more surveys like this', 'surveys-consultations'],
		['show us you did something', 'feedback-on-change'],
		['young people on the boards', 'youth-councils-forums'],
		['on insta', 'social-media-online']
	]
};

describe("children's language in the five Worcestershire codebooks", () => {
	for (const [q, cases] of Object.entries(CHILDREN)) {
		it(`${q}: ${cases.length} answers as children write them get the right theme`, () => {
			const wrong = cases
				.filter(([text, theme]) => !themes(q, text).includes(theme))
				.map(([text, theme]) => `${text} → ${themes(q, text).join(',') || '(none)'}, wanted ${theme}`);
			expect(wrong).toEqual([]);
		});
	}
});

/** Theme ids that mean family (or time with family, or family support) in each codebook. */
const FAMILY: Record<string, string[]> = {
	q1: ['family'],
	q2: ['family-problems'],
	q3: ['time-friends-family', 'family-support'],
	q4: ['family-friends'],
	q5: []
};
const TRANSPORT: Record<string, string | null> = {
	q1: null,
	q2: 'transport',
	q3: 'transport',
	q4: 'transport',
	q5: null
};
const PLACES: Record<string, string[]> = {
	q1: ['activities', 'safety'],
	q2: ['nowhere-safe-to-go', 'lack-of-activities'],
	q3: ['affordable-activities'],
	q4: ['things-to-do', 'parks-green-spaces'],
	q5: []
};

describe('self-description is not a theme, in all five codebooks', () => {
	for (const q of Object.keys(FAMILY)) {
		it(`${q}: "As a parent, more buses" is transport only; "I'm a youth worker and the kids need somewhere to go" is places or activities, not family`, () => {
			const buses = themes(q, 'As a parent, more buses');
			if (TRANSPORT[q]) expect(buses).toEqual([TRANSPORT[q]]);
			for (const f of FAMILY[q]) expect(buses).not.toContain(f);
			const kids = themes(q, "I'm a youth worker and the kids need somewhere to go");
			for (const f of FAMILY[q]) expect(kids).not.toContain(f);
			if (PLACES[q].length) expect(kids.some((t) => PLACES[q].includes(t))).toBe(true);
			// the same adult answers without the self-description get the same themes
			expect(themes(q, 'more buses')).toEqual(buses);
			expect(themes(q, 'the kids need somewhere to go')).toEqual(kids);
			for (const prefix of ["I'm a mum of two and ", 'As a foster carer, ', 'Speaking as a grandparent, '])
				expect(themes(q, `${prefix}more buses`)).toEqual(buses);
		});
	}

	it('q3: parents asking for help for parents is family support, not "more time with family"; a child asking for time with family is', () => {
		expect(themes('q3', 'More help for parents')).toContain('family-support');
		expect(themes('q3', 'More help for parents')).not.toContain('time-friends-family');
		expect(themes('q3', 'Parenting support and early help')).not.toContain('time-friends-family');
		expect(themes('q3', 'more time with my family')).not.toContain('family-support');
	});
});
