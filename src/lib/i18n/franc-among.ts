/**
 * franc's choice (franc-all 7, `franc(text, { only })`) among a fixed set of languages, with the set's trigram
 * models picked out once instead of on every call. franc filters its whole table (329 Latin-script languages,
 * each checked against the `only` list) for each text, which was the largest entry of the app's own code on the
 * submission path (docs/deployment.md, seventh round). The steps and the data are franc's own (its script
 * expressions, its trigram data, trigram-utils' `asTuples`, the same distance, the same order on ties), so the
 * answer is franc's: `franc-among.test.ts` compares the two on generated and real texts.
 */
import { data } from 'franc-all/data.js';
import { expressions } from 'franc-all/expressions.js';
import { asDictionary, asTuples } from 'trigram-utils';

// franc's constants (franc-all/index.js).
const MAX_LENGTH = 2048;
const MAX_DIFFERENCE = 300;
const UND = 'und';

type Model = Record<string, number>;

/** franc's model of a language: each of its trigrams with its rank (franc-all/index.js, numericData). */
function numeric(model: string): Model {
	const trigrams: Model = {};
	const list = model.split('|');
	let weight = list.length;
	while (weight--) trigrams[list[weight]] = weight;
	return trigrams;
}

/**
 * Whether a text of ASCII characters alone can be placed without franc's 36 script expressions: only when Latin's
 * expression is the only one matching any ASCII character (checked here, once, against franc's own expressions).
 * Its Latin count is then its letters A–Z and a–z, and every other script's is 0.
 */
// eslint-disable-next-line no-control-regex -- every ASCII character, control characters included
const ASCII_ONLY = /^[\x00-\x7f]*$/;
const ASCII_IS_LATIN_ONLY = Object.entries(expressions).every(([script, re]) => {
	for (let c = 0; c < 128; c++) {
		const found = String.fromCharCode(c).match(re) !== null;
		if (found !== (script === 'Latin' && /[A-Za-z]/.test(String.fromCharCode(c)))) return false;
	}
	return true;
});

/** The script whose characters occur most (the first on a tie), and that count, as franc's getTopScript. */
function topScript(value: string): [string | undefined, number] {
	if (ASCII_IS_LATIN_ONLY && lean() && ASCII_ONLY.test(value)) {
		let letters = 0;
		for (let i = 0; i < value.length; i++) {
			const c = value.charCodeAt(i) | 0x20;
			if (c >= 0x61 && c <= 0x7a) letters++;
		}
		// With no letter every script counts 0 and the first in franc's order wins: the loop below says which.
		if (letters > 0) return ['Latin', letters / value.length];
	}
	let topCount = -1;
	let top: string | undefined;
	for (const script in expressions) {
		const count = (value.match(expressions[script])?.length ?? 0) / value.length || 0;
		if (count > topCount) {
			topCount = count;
			top = script;
		}
	}
	return [top, topCount];
}

function distance(trigrams: [string, number][], model: Model): number {
	let total = 0;
	for (const [trigram, count] of trigrams) {
		let difference = MAX_DIFFERENCE;
		if (trigram in model) {
			difference = count - model[trigram] - 1;
			if (difference < 0) difference = -difference;
		}
		total += difference;
	}
	return total;
}

/**
 * A detector that answers as `franc(value, { only, minLength })` does: a franc code from `only`, or 'und'.
 */
export function francAmong(only: readonly string[], minLength = 10): (value: string) => string {
	const allowed = new Set(only);
	// Per script with several languages: the allowed ones, in franc's data order (its order on a tie).
	const models = new Map<string, [string, Model][]>();
	for (const script in data) {
		const kept = Object.keys(data[script])
			.filter((name) => allowed.has(name))
			.map((name): [string, Model] => [name, numeric(data[script][name])]);
		models.set(script, kept);
	}
	// Per script, each trigram of any of its kept models with its rank in each of them (-1: not in that model), so
	// that a text's trigram is looked up once for all the script's languages rather than once per language.
	const ranks = new Map<string, Map<string, Int16Array>>();
	for (const [script, kept] of models) {
		const index = new Map<string, Int16Array>();
		kept.forEach(([, model], i) => {
			for (const trigram in model) {
				let row = index.get(trigram);
				if (!row) index.set(trigram, (row = new Int16Array(kept.length).fill(-1)));
				row[i] = model[trigram];
			}
		});
		ranks.set(script, index);
	}
	return (input) => {
		if (!input || input.length < minLength) return UND;
		const value = input.slice(0, MAX_LENGTH);
		const [script, count] = topScript(value);
		const languages = script === undefined ? undefined : models.get(script);
		if (!languages) return !script || count === 0 || !allowed.has(script) ? UND : script;
		if (languages.length === 0) return UND;
		if (lean()) return nearest(asDictionary(value) as Model, languages, ranks.get(script!)!);
		const trigrams = asTuples(value) as [string, number][];
		let best = UND;
		let bestDistance = Infinity;
		// The smallest distance, the first in data order among equals (franc sorts stably and takes the first).
		for (const [name, model] of languages) {
			const d = distance(trigrams, model);
			if (d < bestDistance) {
				bestDistance = d;
				best = name;
			}
		}
		return best;
	};
}

/**
 * The issue-18 lean path (SUBMIT_LEAN2=off: the loop above, as before; read at each call, on the server only). The
 * same sums as `distance` for every language of the script, in one pass over the text's trigrams: a sum of the same
 * integers does not depend on their order, so franc's sort of the trigrams (by count) is not needed for it. The
 * smallest sum wins, the first in data order on a tie, as above.
 */
function lean(): boolean {
	return globalThis.process?.env?.SUBMIT_LEAN2 !== 'off';
}

function nearest(trigrams: Model, languages: [string, Model][], index: Map<string, Int16Array>): string {
	const n = languages.length;
	const totals = new Float64Array(n);
	for (const trigram in trigrams) {
		const count = trigrams[trigram];
		const row = index.get(trigram);
		for (let i = 0; i < n; i++) {
			const rank = row ? row[i] : -1;
			let difference = MAX_DIFFERENCE;
			if (rank >= 0) {
				difference = count - rank - 1;
				if (difference < 0) difference = -difference;
			}
			totals[i] += difference;
		}
	}
	let best = UND;
	let bestDistance = Infinity;
	for (let i = 0; i < n; i++)
		if (totals[i] < bestDistance) {
			bestDistance = totals[i];
			best = languages[i][0];
		}
	return best;
}
