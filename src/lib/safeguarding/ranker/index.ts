/**
 * The learned safeguarding ranker (issue #10 item 2), pure: no database, no framework.
 * Staff decisions are labels (referred or a raised concern = 1, no action = 0); once a scope has
 * enough of both, a logistic regression on hashed n-grams re-scores answers so that wording like
 * what staff referred is read sooner. It only orders: it never removes a flag the screen raised.
 */
import { rankerKernel, type RankerModel } from './kernel';

export { rankerKernel, type RankerModel } from './kernel';

const kernel = rankerKernel();

/** Labels a scope (a consultation, or the whole installation) needs before a model is trained. */
export const MIN_LABELS = 20;

export interface Label {
	text: string;
	label: 0 | 1;
}

/** Enough labels, and both kinds, for a model to mean something. */
export function canTrain(labels: readonly Label[]): boolean {
	const pos = labels.filter((l) => l.label === 1).length;
	return labels.length >= MIN_LABELS && pos > 0 && pos < labels.length;
}

export const trainRanker = (labels: readonly Label[]): RankerModel => kernel.train([...labels]);
export const scorerFor = (model: RankerModel): ((text: string) => number) => kernel.scorer(model);

/**
 * One number that orders the reading list: the screen's risk and the model's, combined as
 * "either would worry a reader" (1 − (1 − a)(1 − b)). A high model score lifts an answer the
 * screen scored low; it never lowers what the screen scored.
 */
export function combinedRisk(screenScore: number | null, modelScore: number | null): number {
	const a = clamp(screenScore ?? 0);
	const b = clamp(modelScore ?? 0);
	return 1 - (1 - a) * (1 - b);
}

const clamp = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);
