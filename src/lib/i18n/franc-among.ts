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
import { asTuples } from 'trigram-utils';

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

/** The script whose characters occur most (the first on a tie), and that count, as franc's getTopScript. */
function topScript(value: string): [string | undefined, number] {
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
	return (input) => {
		if (!input || input.length < minLength) return UND;
		const value = input.slice(0, MAX_LENGTH);
		const [script, count] = topScript(value);
		const languages = script === undefined ? undefined : models.get(script);
		if (!languages) return !script || count === 0 || !allowed.has(script) ? UND : script;
		if (languages.length === 0) return UND;
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
