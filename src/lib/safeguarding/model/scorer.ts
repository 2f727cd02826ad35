/**
 * Scoring with a trained model's weights: text → probability (0..1) that the answer is a
 * disclosure. Buckets are looked up in a dense array (2^18 floats, 1 MB) because this runs for
 * every answer the screen sees.
 */
import { rankerKernel } from '../ranker/kernel';
import type { ModelWeights } from './train';

const kernel = rankerKernel();

export function probabilityFor(
	model: Pick<ModelWeights, 'bias' | 'weights'>
): (text: string, signals?: readonly string[]) => number {
	const dense = new Float32Array(kernel.DIMS);
	for (const [bucket, weight] of model.weights) dense[bucket] = weight;
	const bias = model.bias;
	return (text: string, signals?: readonly string[]) => {
		const { sum, count } = kernel.denseSum(dense, text, signals);
		const z = bias + (count ? sum * (1 / Math.sqrt(count)) : 0);
		return 1 / (1 + Math.exp(-z));
	};
}
