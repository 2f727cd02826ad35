import { describe, expect, it } from 'vitest';
import { ngrams, normalise, Speller, stem, tokenize } from './text';

describe('tokenising', () => {
	it('lower-cases, splits on punctuation and expands contractions so negation is visible', () => {
		expect(tokenize("I DON'T have a pet, it’s true!")).toEqual(['i', 'do', 'not', 'have', 'a', 'pet', 'it', 'true']);
		expect(tokenize("can't won't isn't")).toEqual(['can', 'not', 'will', 'not', 'is', 'not']);
		expect(tokenize('my mum’s car')).toEqual(['my', 'mum', 'car']);
		expect(tokenize('  ')).toEqual([]);
	});
	it('normalises accents and ampersands', () => {
		expect(normalise('Café & Crèche')).toBe('cafe  and  creche');
	});
	it('stems word forms to the same stem', () => {
		expect(stem('bullying')).toBe(stem('bullied'));
		expect(stem('activities')).toBe(stem('activity'));
		expect(stem('friends')).toBe(stem('friend'));
	});
	it('makes word n-grams', () => {
		expect(ngrams(['nothing', 'to', 'do'], 2)).toEqual(['nothing to', 'to do']);
		expect(ngrams(['one'], 2)).toEqual([]);
	});
});

describe('spelling tolerance', () => {
	const speller = new Speller(['friends', 'family', 'bullying', 'school', 'pets', 'activities', 'safe', 'places']);
	it("corrects children's and hand-copied spellings onto the vocabulary", () => {
		expect(speller.correct('frends')).toBe('friends');
		expect(speller.correct('freinds')).toBe('friends');
		expect(speller.correct('famly')).toBe('family');
		expect(speller.correct('bulying')).toBe('bullying');
		expect(speller.correct('skool')).toBe('school');
		expect(speller.correct('activitys')).toBe('activities');
	});
	it('leaves correctly spelt English words and short words alone', () => {
		expect(speller.correct('pens')).toBe('pens');
		expect(speller.correct('pots')).toBe('pots');
		expect(speller.correct('fam')).toBe('fam');
		expect(speller.correct('friends')).toBe('friends');
		expect(speller.correct('zzzzqqq')).toBe('zzzzqqq');
	});
});

describe("children's text-speak", () => {
	it('maps text-speak and spoken spellings onto ordinary words', () => {
		expect(tokenize('gonna see my fam')).toEqual(['going', 'to', 'see', 'my', 'family']);
		expect(tokenize('ppl r mean 2 me at skool lol')).toEqual(['people', 'are', 'mean', '2', 'me', 'at', 'school']);
		expect(tokenize("there's nuffin 2 do cos the park is shut")).toEqual([
			'there',
			'nothing',
			'2',
			'do',
			'because',
			'the',
			'park',
			'is',
			'shut'
		]);
		expect(tokenize('my bestie n me')).toEqual(['my', 'best', 'friend', 'n', 'me']);
		expect(tokenize('dunno')).toEqual(['do', 'not', 'know']);
	});
	it('leaves ordinary words and numbers alone', () => {
		expect(tokenize('a sum of 2 pounds for the cost')).toEqual(['a', 'sum', 'of', '2', 'pounds', 'for', 'the', 'cost']);
	});
});
