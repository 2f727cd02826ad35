/**
 * Scoring with a trained model's weights: the screen's signals → probability (0..1). Buckets are
 * looked up in a dense array (2^18 floats, 1 MB) because this runs for every answer the screen sees.
 *
 * `text: false` reads only the screen's signals (corrected stems, sound-alike keys, vocabulary
 * categories and why each was or was not counted, anchors, shape), not the raw text's word and
 * character n-grams: the urgent model does so (docs/safeguarding-and-privacy.md, section 1, "The
 * built-in model", says why each model reads what it reads).
 */
import { rankerKernel } from '../ranker/kernel';
import type { ModelWeights } from './train';

const kernel = rankerKernel();

export function probabilityFor(
	model: Pick<ModelWeights, 'bias' | 'weights'>,
	{ text: useText = true }: { text?: boolean } = {}
): (text: string, signals?: readonly string[]) => number {
	const dense = new Float32Array(kernel.DIMS);
	for (const [bucket, weight] of model.weights) dense[bucket] = weight;
	const bias = model.bias;
	return (text: string, signals?: readonly string[]) => {
		const { sum, count } = kernel.denseSum(dense, useText ? text : '', signals);
		const z = bias + (count ? sum * (1 / Math.sqrt(count)) : 0);
		return 1 / (1 + Math.exp(-z));
	};
}
