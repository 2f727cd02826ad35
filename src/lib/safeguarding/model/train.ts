/**
 * Training the built-in screening models (pure: the examples come in, the weights file's content
 * goes out). The same logistic regression as the learned ranker (../ranker/kernel.ts), on hashed word
 * and character n-grams of the text (when `text` is given) and the screen's signals, trained on
 * labelled evaluation answers and NHS feedback answers as negatives. scripts/safeguarding-model.ts reads the data and writes weights.json with it.
 */
import { rankerKernel } from '../ranker/kernel';

const kernel = rankerKernel();

export interface ModelExample {
	/** The answer's text ('' for a model that reads the signals only). */
	text: string;
	label: 0 | 1;
	/** The screen's signals for the text (screenSignals). */
	extra: readonly string[];
}

/** Fixed training settings: the weights file must be reproducible from the data alone. */
export const TRAINING = { epochs: 300, rate: 2, l2: 1e-3 } as const;

/** Weights smaller than this are dropped: they change no probability by more than a rounding error, and the file stays small. */
export const PRUNE_BELOW = 0.01;

export interface ModelWeights {
	/** What the weights were trained on (counts only), for the docs and the queue. */
	trainedOn: { positives: number; negatives: number };
	bias: number;
	/** [bucket, weight], buckets ascending; every other bucket weighs 0. */
	weights: [number, number][];
}

export function trainModel(examples: readonly ModelExample[]): ModelWeights {
	const model = kernel.train([...examples], TRAINING);
	const positives = examples.filter((e) => e.label === 1).length;
	return {
		trainedOn: { positives, negatives: examples.length - positives },
		bias: model.bias,
		weights: model.weights.filter(([, w]) => Math.abs(w) >= PRUNE_BELOW)
	};
}
