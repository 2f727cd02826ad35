/**
 * Emerging themes: from answers that fit no theme, propose candidate new themes built around
 * distinctive words and phrases, each with its size and example answers, for an officer to
 * accept, rename or dismiss.
 */
import * as natural from './natural';
import type { Codebook } from './codebook';
import { trainCoder, type Answer, type Coder } from './coder';
import { analyse } from './keywords';
import { Speller, STOP_WORDS } from './text';
import { contentTokens } from './self-description';

export interface CandidateTheme {
	/** suggested kebab-case id */
	id: string;
	/** suggested label: the phrase as answers usually say it */
	label: string;
	/** answers in the cluster */
	size: number;
	answerIds: string[];
	/** up to 3 example answers */
	examples: string[];
	/** suggested keywords (the phrase and words that often go with it) */
	keywords: string[];
}

export interface DiscoverOptions {
	/** codebook: only answers none of its themes fit are clustered */
	codebook?: Codebook;
	/** a trained coder to decide which answers fit no theme (takes precedence over codebook) */
	coder?: Coder;
	/** at most this many candidates (capped at 30) */
	max?: number;
	/** smallest cluster worth proposing (default 3, or 2 when there are fewer than 60 answers) */
	minSize?: number;
}

const EXTRA_STOP = new Set([
	'yes',
	'yeah',
	'dont',
	'know',
	'nothing',
	'none',
	'not',
	'sure',
	'good',
	'ok',
	'okay',
	'people',
	'want',
	'need',
	'like',
	'better',
	'more',
	'less',
	'lot',
	'much',
	'many',
	'make',
	'get',
	'way',
	'well',
	'same',
	'other',
	'too',
	'only',
	'out',
	'over',
	'up',
	'see',
	'come',
	'take',
	'no',
	'never',
	'young',
	'children',
	'child',
	'kids',
	'please',
	'maybe',
	'think',
	'really',
	'probably',
	'thanks',
	'thank'
]);

interface Doc {
	answer: Answer;
	terms: Set<string>;
}

/**
 * Propose candidate themes from answers that fit no existing theme (all answers when no codebook
 * or coder is given). Deterministic; never more than 30; clusters are disjoint and no two
 * candidates share a word stem, so there are no near-duplicates.
 */
export function discoverThemes(answers: Answer[], options: DiscoverOptions = {}): CandidateTheme[] {
	const max = Math.min(30, Math.max(1, options.max ?? 30));
	const coder = options.coder ?? (options.codebook ? trainCoder(options.codebook) : null);
	const pool = coder ? answers.filter((a) => coder.code(a.text).length === 0) : answers;
	const minSize = options.minSize ?? (pool.length < 60 ? 2 : 3);

	// Spelling: fold rare misspellings onto words used by several answers.
	const df = new Map<string, number>();
	for (const a of pool) for (const w of new Set(contentTokens(a.text))) df.set(w, (df.get(w) ?? 0) + 1);
	const speller = new Speller([...df.entries()].filter(([, f]) => f >= 2).sort((a, b) => (a[0] < b[0] ? -1 : 1)));

	const surface = new Map<string, Map<string, number>>();
	const docs: Doc[] = pool.map((answer) => {
		const a = analyse(answer.text, speller);
		const content: { stem: string; word: string; at: number }[] = [];
		a.corrected.forEach((w, i) => {
			if (w.length >= 3 && !STOP_WORDS.has(w) && !EXTRA_STOP.has(w) && !/^\d+$/.test(w))
				content.push({ stem: a.stems[i], word: w, at: i });
		});
		const terms = new Set<string>();
		const note = (term: string, text: string) => {
			terms.add(term);
			let m = surface.get(term);
			if (!m) surface.set(term, (m = new Map()));
			m.set(text, (m.get(text) ?? 0) + 1);
		};
		content.forEach((c, i) => {
			note(c.stem, c.word);
			const next = content[i + 1];
			// bigram of neighbouring content words; its label keeps short glue ("wifi in the library")
			if (next && next.stem !== c.stem && next.at - c.at <= 3)
				note(c.stem + ' ' + next.stem, a.corrected.slice(c.at, next.at + 1).join(' '));
		});
		return { answer, terms };
	});

	const termDf = new Map<string, number>();
	for (const d of docs) for (const t of d.terms) termDf.set(t, (termDf.get(t) ?? 0) + 1);
	const N = Math.max(1, docs.length);
	const scored = [...termDf.entries()]
		.filter(([, f]) => f >= minSize && f <= Math.max(minSize, (N < 50 ? 0.5 : 0.25) * N)) // words in most answers are too generic to be a theme
		.map(([term, f]) => ({ term, f, score: f * Math.log(1 + N / f) * (term.includes(' ') ? 1.6 : 1) }))
		.sort((a, b) => b.score - a.score || (a.term < b.term ? -1 : 1));

	const assigned = new Set<number>();
	const usedStems = new Set<string>();
	const out: CandidateTheme[] = [];
	for (const { term } of scored) {
		if (out.length >= max) break;
		const stems = term.split(' ');
		if (stems.some((s) => usedStems.has(s))) continue;
		const members: number[] = [];
		docs.forEach((d, i) => {
			if (!assigned.has(i) && d.terms.has(term)) members.push(i);
		});
		if (members.length < minSize) continue;
		const label = mostCommon(surface.get(term)!);
		if (out.some((c) => natural.JaroWinklerDistance(c.label, label) > 0.92)) continue;
		for (const i of members) assigned.add(i);
		for (const s of stems) usedStems.add(s);
		// Words that often go with the phrase in the cluster.
		const co = new Map<string, number>();
		for (const i of members)
			for (const t of docs[i].terms) if (t !== term && !t.includes(' ')) co.set(t, (co.get(t) ?? 0) + 1);
		const related = [...co.entries()]
			.filter(([t, f]) => f >= Math.max(2, members.length * 0.3) && !stems.includes(t))
			.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
			.slice(0, 4)
			.map(([t]) => mostCommon(surface.get(t)!));
		const examples = members
			.map((i) => docs[i].answer)
			.sort((a, b) => score(a.text) - score(b.text) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
			.slice(0, 3)
			.map((a) => a.text.trim());
		out.push({
			id: label.replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || `candidate-${out.length + 1}`,
			label: label[0].toUpperCase() + label.slice(1),
			size: members.length,
			answerIds: members.map((i) => docs[i].answer.id),
			examples,
			keywords: [label, ...related]
		});
	}
	return out.sort((a, b) => b.size - a.size || (a.id < b.id ? -1 : 1));
}

/** Prefer examples of a readable length (about 6–25 words). */
function score(text: string): number {
	const n = text.split(/\s+/).length;
	return n < 6 ? 6 - n + 10 : n > 25 ? n - 25 + 10 : 0;
}

function mostCommon(m: Map<string, number>): string {
	let best = '';
	let bf = -1;
	for (const [k, f] of m) if (f > bf || (f === bf && k < best)) [best, bf] = [k, f];
	return best;
}
