import fc from 'fast-check';
import { franc } from 'franc-all';
import { data } from 'franc-all/data.js';
import { describe, expect, it } from 'vitest';
import { francAmong } from './franc-among';

const ONLY = ['eng', 'cym', 'pol', 'urd', 'ron', 'pan', 'ben', 'guj', 'arb', 'lit', 'lav', 'bul'].concat([
	'por',
	'spa',
	'fra',
	'ita',
	'som',
	'tur',
	'slk',
	'ces',
	'ukr',
	'rus'
]);

/** Words in the scripts and languages the app's answers come in, and some it never expects. */
const WORDS = [
	...'the bus to school is always late and too full we need more places for young people to meet'.split(' '),
	...'mae angen mwy o le chwarae yn y parc i blant bach a phobl ifanc'.split(' '),
	...'potrzebujemy więcej miejsc do zabawy dla dzieci w parku źle żółć'.split(' '),
	...'avem nevoie de mai multe locuri de joacă pentru copii'.split(' '),
	...'necesitamos más lugares para los niños nous avons besoin de plus'.split(' '),
	...'potřebujeme více míst pro děti çocuklar için daha fazla yer'.split(' '),
	...'нам нужно больше мест для детей нам потрібно більше місць'.split(' '),
	...'بچوں کے لیے پارک میں کھیلنے کی مزید جگہ نحتاج إلى المزيد من الأماكن'.split(' '),
	...'ਸਾਨੂੰ ਹੋਰ ਥਾਂ ਚਾਹੀਦੀ আমাদের আরও জায়গা দরকার અમને વધુ જગ્યા જોઈએ'.split(' '),
	...'我们需要更多的地方 もっと場所が必要です 더 많은 공간이 필요합니다 मुझे और जगह चाहिए'.split(' '),
	...'12 3.5 !! ?? -- £20 :) @home #1 ...'.split(' ')
];

const text = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 40 }).map((words) => words.join(' '));

describe("franc's choice among fixed languages, models picked out once", () => {
	it("answers as franc does for the app's candidates", () => {
		const guess = francAmong(ONLY, 20);
		fc.assert(
			fc.property(text, (t) => guess(t) === franc(t, { only: ONLY, minLength: 20 })),
			{ numRuns: 3000 }
		);
	});

	it('answers as franc does for any set of candidates and any minimum length', () => {
		const all = Object.values(data).flatMap((languages) => Object.keys(languages));
		const codes = [...new Set([...all, 'ben', 'guj', 'pan', 'cmn', 'jpn', 'kor'])];
		fc.assert(
			fc.property(
				fc.subarray(codes, { minLength: 1, maxLength: 40 }),
				fc.integer({ min: 0, max: 30 }),
				fc.array(text, { minLength: 1, maxLength: 10 }),
				(only, minLength, texts) => {
					const guess = francAmong(only, minLength);
					for (const t of texts) expect(guess(t)).toBe(franc(t, { only, minLength }));
				}
			),
			{ numRuns: 300 }
		);
	});

	it('keeps franc’s answers on long texts, cut where franc cuts them', () => {
		const guess = francAmong(ONLY, 20);
		const english =
			'The bus to school is always late and too full, and there is nowhere to meet friends after school. ';
		const russian = 'Нам нужно больше мест для детей в парке. ';
		// 2,450 characters of English first: the Russian after them is past the 2,048 franc reads.
		const long = english.repeat(25) + russian.repeat(300);
		expect(guess(long)).toBe(franc(long, { only: ONLY, minLength: 20 }));
		expect(guess(long)).toBe('eng');
		expect(guess(russian.repeat(300))).toBe('rus');
	});
});
