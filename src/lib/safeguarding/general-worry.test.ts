/**
 * False urgent flags seen on the demo data (npm run seed:demo): parents' and practitioners' policy
 * comments were flagged, one class of them URGENT, and sat at the top of the reading list. These
 * sentences are written for this test in the same classes (not copied from the demo texts), with
 * the disclosures that sit next to each class so the rule cannot simply switch a category off.
 */
import { describe, expect, it } from 'vitest';
import { screenAnswer, screenAnswerWith } from './screen';

describe('a parent’s general worry about their children is not a disclosure', () => {
	it.each([
		'For my kids, online bullying and vaping are the biggest worries',
		'For my children, social media, bullying and the cost of clubs.',
		'With my children the main concern is cyberbullying and exam pressure',
		'My kids’ biggest worry is bullying on group chats',
		'my children worry about knife crime in town'
	])('not flagged: %s', (text) => {
		expect(screenAnswer(text).level).toBeNull();
	});

	it.each([
		'my kids are being bullied on the bus every day',
		'For my son, the bullying has got so bad he will not go to school',
		'I am worried my daughter is sending pictures to a man she met online'
	])('still flagged: %s', (text) => {
		expect(screenAnswer(text).level).not.toBeNull();
	});
});

describe('a parent’s own fear for their child is not the child’s fear of home', () => {
	it.each([
		'My 16-year-old is learning to drive and I am terrified of the roads round here',
		'My son starts secondary in September and I am scared he will not make friends'
	])('not flagged: %s', (text) => {
		expect(screenAnswer(text).level).toBeNull();
	});

	it.each([
		['the child is afraid, not the parent', 'my son is scared to go home because his stepdad shouts at him'],
		['a child afraid of a parent', 'I am scared of my dad when he drinks'],
		[
			'the parent is afraid because of harm to the child',
			'My daughter is 9 and I am scared for her because her dad hits her when she stays with him'
		]
	])('still flagged (%s): %s', (_why, text) => {
		expect(screenAnswer(text).level).not.toBeNull();
	});
});

describe('a platform name or being online is not grooming without contact, secrecy, meeting or images', () => {
	it.each([
		'Put the survey on snapchat and instagram so we see it',
		'I am online most evenings chatting on discord with my mates from school',
		'use tiktok to tell young people about clubs'
	])('not flagged as grooming: %s', (text) => {
		expect(screenAnswer(text).categories).not.toContain('sexual-exploitation-grooming');
	});

	it.each([
		'a man i met on snapchat wants me to send him pics and keep it secret',
		'someone online keeps asking to meet me and says not to tell my mum'
	])('flagged as grooming: %s', (text) => {
		const r = screenAnswer(text);
		expect(r.level).not.toBeNull();
		expect(r.categories).toContain('sexual-exploitation-grooming');
	});
});

describe('general talk with no personal anchor', () => {
	it.each([
		'Use of social media for bullying.',
		'Uses of phones for bullying and threats',
		'I would like less bullying and a bigger park',
		'tackle online bullying in schools',
		'Nowhere to go and exam stress',
		'I think nowhere to go is the main thing'
	])('not flagged: %s', (text) => {
		expect(screenAnswer(text).level).toBeNull();
	});

	it.each([
		'i have nowhere to go tonight, mum kicked me out',
		'they bully me on social media every night',
		'they send me on the train to other towns with packages. im 14'
	])('still flagged: %s', (text) => {
		expect(screenAnswer(text).level).not.toBeNull();
	});
});

describe('ongoing or happening now makes an anchored sign urgent', () => {
	it.each(['my son is being hit by an older boy every playtime', 'he slapped me again last night'])(
		'urgent: %s',
		(text) => {
			expect(screenAnswer(text).level).toBe('urgent');
		}
	);
});

describe('anchors, ages and slang written in ways the phrase list did not anticipate', () => {
	it.each([
		[
			'after "I" a general word is a verb: a specific child a practitioner supports',
			'A Year 9 boy I support was reported missing again on Friday'
		],
		['an age in brackets after the child', 'My daughter (7) keeps getting hit by a girl in her class'],
		['"else" adds nothing', 'i slept on a bench cos there was nowhere else to go'],
		['slang inflected', 'been thinking about unaliving myself tbh']
	])('flagged (%s): %s', (_why, text) => {
		expect(screenAnswer(text).level).not.toBeNull();
	});

	it('the bracketed age of a young child makes an anchored sign urgent', () => {
		expect(screenAnswer('My daughter (7) keeps getting hit by a girl in her class').level).toBe('urgent');
	});

	it.each(['We support young people who go missing from care', 'I support more funding for kids who self harm'])(
		'general talk still not flagged: %s',
		(text) => {
			expect(screenAnswer(text).level).toBeNull();
		}
	);
});

describe('urgency by design, not by phrase', () => {
	it('harm that follows "or" is a threat, urgent', () => {
		const r = screenAnswer('they said to say nothing or my mum gets hurt');
		expect(r.level).toBe('urgent');
		expect(r.categories).toContain('threats');
	});
	it('"or" without harm after it is not a threat', () => {
		expect(screenAnswer('we could have a skate park or a bigger library').level).toBeNull();
	});
	it('a child of 13 to 17 with an anchored sign now is urgent; the same set in the past is review', () => {
		expect(screenAnswer('older lads make me carry packages for them. im 15').level).toBe('urgent');
		expect(screenAnswer('older lads used to make me carry packages for them years ago when i was 15').level).toBe(
			'review'
		);
	});
});

describe('an age gap is a sign of sexual exploitation, whatever words are used', () => {
	it('a child and an adult by age, with a word of contact: urgent', () => {
		const r = screenAnswer('my cousin is 15 and she has been going out with a 24 year old from the estate');
		expect(r.level).toBe('urgent');
		expect(r.categories).toContain('sexual-exploitation-grooming');
	});
	it('ages with no contact between them are not', () => {
		expect(
			screenAnswer('my brother is 15 and our youth worker is a 24 year old who runs the football').categories
		).not.toContain('sexual-exploitation-grooming');
		expect(screenAnswer('clubs for 13 to 25 year olds and for adults').level).toBeNull();
	});
});

describe('play counts only near the harm word; an unknown adult luring a child', () => {
	it('a game word far from the harm word does not make it play', () => {
		expect(
			screenAnswer(
				'a guy from the football club keeps telling me and my brother that the war is coming and we must get ready for it'
			).level
		).not.toBeNull();
	});
	it('a game word near it still does', () => {
		expect(screenAnswer('my brother keeps killing me in fortnite').level).toBeNull();
	});
	it('an unknown adult asking a child to come with them: urgent grooming sign', () => {
		const r = screenAnswer('a woman in a silver car asked me to get in and said mum sent her');
		expect(r.level).toBe('urgent');
		expect(r.categories).toContain('sexual-exploitation-grooming');
	});
	it('the same words with no unknown adult are not (the recall-first model reads them for review only)', () => {
		expect(screenAnswerWith('my friend asked me to come to her party', null).level).toBeNull();
		expect(screenAnswer('my friend asked me to come to her party').level).not.toBe('urgent');
	});
});

describe('"kids" is not "kidding"', () => {
	it('a parent who mentions their kids is not joking: the urgent flag stays urgent', () => {
		expect(screenAnswer('My partner gets violent when he drinks and my kids (4 and 6) see all of it').level).toBe(
			'urgent'
		);
	});
	it('"just kidding" still lowers urgent to review, never drops the flag', () => {
		expect(screenAnswer('i want to kill myself just kidding').level).toBe('review');
	});
});
