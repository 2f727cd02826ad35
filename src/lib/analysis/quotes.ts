/**
 * Choosing quotes, and an officer's wording of one. Pure: no database, no framework.
 *
 * Suggestions should sound like the people who took part, not like the longest answers:
 * near-identical answers ("my pets", "My pets!") are shown once with how many said it;
 * short, vivid answers score above long ones; and each respondent group takes its turn,
 * so 500 practitioner answers do not push out the 100 from young people.
 */

export interface QuoteCandidate {
	answerId: number;
	/** The redacted text, never the original where personal data was found. */
	text: string;
	group: string | null;
	starred: boolean;
	/** How confidently the theme was coded (an officer's own coding counts as 1). */
	confidence: number;
}

export interface PickedQuote extends QuoteCandidate {
	/** How many of the candidates say the same thing (this one included). */
	alike: number;
}

/** Answers with the same words, whatever the case, punctuation or spacing, share a key. */
export function quoteKey(text: string): string {
	return text
		.normalize('NFKD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.replace(/[^\p{L}\p{N}]+/gu, ' ')
		.trim();
}

/**
 * How readable an answer is as a quote, from its length in characters: a few words to a couple
 * of sentences are best; one or two words say little; beyond 120 characters the score falls
 * with length (a 600-character answer scores a fifth of a 120-character one).
 */
export function lengthWeight(chars: number): number {
	if (chars < 10) return 0.6;
	if (chars <= 120) return 1;
	return 120 / chars;
}

function score(q: QuoteCandidate, alike: number): number {
	// Said by several people: a little more representative (log, so a common phrase cannot dominate).
	return q.confidence * lengthWeight(q.text.trim().length) * (1 + 0.25 * Math.log2(alike));
}

/**
 * Up to `limit` quotes from the candidates: near-identical answers merged (the starred one, else
 * the most confidently coded, speaks for them), starred quotes first, then the groups in turn,
 * each group's best-scoring quote next. Ties keep the candidates' order.
 */
export function pickQuotes(candidates: QuoteCandidate[], limit: number): PickedQuote[] {
	const byKey = new Map<string, { lead: QuoteCandidate; alike: number; first: number }>();
	candidates.forEach((c, i) => {
		const key = quoteKey(c.text);
		if (!key) return;
		const seen = byKey.get(key);
		if (!seen) byKey.set(key, { lead: c, alike: 1, first: i });
		else {
			seen.alike++;
			if (c.starred && !seen.lead.starred) seen.lead = c;
		}
	});
	const merged = [...byKey.values()].map((m) => ({
		quote: { ...m.lead, alike: m.alike },
		score: score(m.lead, m.alike),
		first: m.first
	}));
	const order = (a: (typeof merged)[number], b: (typeof merged)[number]) => b.score - a.score || a.first - b.first;
	const out: PickedQuote[] = merged
		.filter((m) => m.quote.starred)
		.sort((a, b) => a.first - b.first)
		.map((m) => m.quote);
	// The rest: one queue per group, best first; the groups take turns, the group with the best quote first.
	const queues = new Map<string, typeof merged>();
	for (const m of merged.filter((x) => !x.quote.starred).sort(order)) {
		const g = m.quote.group ?? '';
		queues.set(g, [...(queues.get(g) ?? []), m]);
	}
	const lanes = [...queues.values()];
	while (out.length < limit && lanes.some((l) => l.length > 0))
		for (const lane of lanes) {
			const next = lane.shift();
			if (next && out.length < limit) out.push(next.quote);
		}
	// Starred quotes are all kept, even beyond the limit: an officer's choice is never hidden.
	return out;
}

export interface QuoteWording {
	spanStart: number | null;
	spanEnd: number | null;
	editedText: string | null;
}

/** Whether a span is a real, non-empty part of a text of this length. */
function validSpan(w: QuoteWording, length: number): w is QuoteWording & { spanStart: number; spanEnd: number } {
	return (
		w.spanStart !== null && w.spanEnd !== null && w.spanStart >= 0 && w.spanEnd <= length && w.spanStart < w.spanEnd
	);
}

/**
 * Where words were cut from a trimmed quote: an ellipsis in square brackets, as council reports
 * mark their own changes to a quotation (the seed report's "[the Education worker]"), so a
 * reader can tell the cut from an ellipsis the person wrote themselves.
 */
export const CUT = '[…]';

/** How an officer changed a quote's words for publication, if at all. */
export type QuoteChange = 'trimmed' | 'edited' | null;

/** What a report says under its quotes: how they were chosen and, when any was, how they were changed. */
export function quotesNote(changes: QuoteChange[]): string {
	let note = 'Answers are shown with personal details removed. Answers with a safeguarding flag are never quoted.';
	if (changes.includes('trimmed')) note += ` ${CUT} marks where words were cut from an answer.`;
	if (changes.includes('edited'))
		note +=
			' “Wording edited” marks a quote an officer reworded, for example to leave out a detail that could identify someone.';
	return note;
}

/** The attribution's mark for an edited quote (a trimmed one shows its cuts in the text). */
export const EDITED_MARK = 'wording edited';

/** Whether the quote is published trimmed, edited, or in the answer's own words. */
export function quoteChange(original: string, w: QuoteWording): QuoteChange {
	if (w.editedText !== null && w.editedText.trim() !== '') return w.editedText === original ? null : 'edited';
	return validSpan(w, original.length) && quoteWording(original, w) !== original ? 'trimmed' : null;
}

/**
 * The words a quote is published with: the officer's wording if there is one, else the span they
 * kept (with "[…]" where words were cut), else the whole (redacted) answer. A span that no
 * longer fits the answer (its redaction changed) falls back to the whole answer, never to a
 * broken piece.
 */
export function quoteWording(original: string, w: QuoteWording): string {
	if (w.editedText !== null && w.editedText.trim() !== '') return w.editedText;
	if (!validSpan(w, original.length)) return original;
	const part = original.slice(w.spanStart, w.spanEnd).trim();
	return `${w.spanStart > 0 ? `${CUT} ` : ''}${part}${w.spanEnd < original.length ? ` ${CUT}` : ''}`;
}

/** Whether the quote is published in other words than the answer's own. */
export function isReworded(original: string, w: QuoteWording): boolean {
	return quoteWording(original, w) !== original;
}

/** Cut marks at either end of a pasted-back trim: "[…]", "[...]", "…" or "...", and spaces. */
const CUT_MARKS = /^(?:\s|\[(?:…|\.\.\.)\]|…|\.\.\.)+|(?:\s|\[(?:…|\.\.\.)\]|…|\.\.\.)+$/g;

/**
 * Where a part the officer kept sits in the answer, as character offsets; null when it is not a
 * part of it (then it is an edit, not a trim). Cut marks ("[…]", an ellipsis) and spaces at
 * either end are ignored, so the shown span can be pasted back; case must match (a trim never
 * changes words).
 */
export function findSpan(original: string, part: string): { start: number; end: number } | null {
	const kept = part.replace(CUT_MARKS, '').trim();
	if (!kept) return null;
	const start = original.indexOf(kept);
	if (start < 0) return null;
	return { start, end: start + kept.length };
}
