import { describe, expect, it } from 'vitest';
import { findSpan, pickQuotes, quoteChange, quoteKey, quotesNote, quoteWording, type QuoteCandidate } from './quotes';

const c = (
	answerId: number,
	text: string,
	group: string | null,
	extra: Partial<QuoteCandidate> = {}
): QuoteCandidate => ({
	answerId,
	text,
	group,
	starred: false,
	confidence: 1,
	...extra
});

describe('pickQuotes', () => {
	it('shows near-identical answers once, with how many said it', () => {
		const picked = pickQuotes([c(1, 'my pets', 'child'), c(2, 'My pets!', 'child'), c(3, 'my  pets.', 'parent')], 5);
		expect(picked).toHaveLength(1);
		expect(picked[0]).toMatchObject({ answerId: 1, alike: 3 });
	});

	it('lets the starred answer speak for its duplicates', () => {
		const picked = pickQuotes([c(1, 'my pets', 'child'), c(2, 'My pets', 'child', { starred: true })], 5);
		expect(picked).toEqual([expect.objectContaining({ answerId: 2, starred: true, alike: 2 })]);
	});

	it('does not favour long practitioner answers: groups take turns, short answers first', () => {
		const long = 'x'.repeat(400);
		const practitioners = [1, 2, 3, 4, 5].map((i) => c(i, `${long} ${i}`, 'practitioner', { confidence: 1 }));
		const young = [
			c(10, 'Being listened to at school', 'child', { confidence: 0.7 }),
			c(11, 'Somewhere safe to go after school', 'child', { confidence: 0.6 })
		];
		const picked = pickQuotes([...practitioners, ...young], 4);
		expect(picked.map((q) => q.group)).toEqual(['child', 'practitioner', 'child', 'practitioner']);
		expect(picked[0].answerId).toBe(10);
	});

	it('keeps every starred quote first, even beyond the limit', () => {
		const picked = pickQuotes(
			[c(1, 'one', 'a'), c(2, 'two two', 'a', { starred: true }), c(3, 'three', 'b', { starred: true })],
			1
		);
		expect(picked.map((q) => q.answerId)).toEqual([2, 3]);
	});

	it('ignores answers with no words', () => {
		expect(pickQuotes([c(1, '…', 'a'), c(2, '  ', 'a')], 5)).toEqual([]);
		expect(quoteKey('Café, café!')).toBe('cafe cafe');
	});
});

describe('quote wording', () => {
	const original = 'I like the youth club because my friends go there and it is warm.';

	it('a trimmed quote is the span with "[…]" where words were cut, and says it was trimmed', () => {
		const span = findSpan(original, 'my friends go there')!;
		expect(span).toEqual({ start: 30, end: 49 });
		const w = { spanStart: span.start, spanEnd: span.end, editedText: null };
		expect(quoteWording(original, w)).toBe('[…] my friends go there […]');
		expect(quoteChange(original, w)).toBe('trimmed');
		expect(quoteWording(original, { spanStart: 0, spanEnd: 18, editedText: null })).toBe('I like the youth c […]');
		// The whole answer kept is no trim.
		expect(quoteChange(original, { spanStart: 0, spanEnd: original.length, editedText: null })).toBeNull();
	});

	it('a pasted-back span with its cut marks is found again; other words are not a span', () => {
		expect(findSpan(original, '[…] my friends go there […]')).toEqual({ start: 30, end: 49 });
		expect(findSpan(original, '[...] my friends go there...')).toEqual({ start: 30, end: 49 });
		expect(findSpan(original, '…my friends go there…')).toEqual({ start: 30, end: 49 });
		expect(findSpan(original, 'my mates go there')).toBeNull();
		expect(findSpan(original, ' … ')).toBeNull();
		expect(findSpan(original, ' […] ')).toBeNull();
	});

	it('a report notes cuts and edits only when its quotes have them', () => {
		expect(quotesNote([null])).not.toContain('[…]');
		expect(quotesNote([null])).not.toContain('edited');
		expect(quotesNote(['trimmed', null])).toContain('[…] marks where words were cut');
		expect(quotesNote(['edited'])).toContain('“Wording edited” marks a quote an officer reworded');
		expect(quoteChange(original, { spanStart: 0, spanEnd: 5, editedText: 'The youth club is warm.' })).toBe('edited');
	});

	it('an edit wins over a span; a span that no longer fits falls back to the whole answer', () => {
		expect(quoteWording(original, { spanStart: 0, spanEnd: 5, editedText: 'The youth club is warm.' })).toBe(
			'The youth club is warm.'
		);
		expect(quoteWording('short', { spanStart: 2, spanEnd: 40, editedText: null })).toBe('short');
		expect(quoteWording(original, { spanStart: null, spanEnd: null, editedText: null })).toBe(original);
	});
});
