/**
 * The built-in screening model: a logistic regression on hashed word and character n-grams and on
 * what the lexicon screen saw (corrected spellings, vocabulary categories and why each was or was
 * not counted), trained by `npm run safeguarding:train-model` on the two independent evaluation
 * sets and NHS feedback answers (train.csv) as negatives. The weights are committed (weights.json):
 * deterministic, nothing downloaded. It lets the screen flag disclosures worded in ways nobody wrote
 * into the lexicon; it only adds flags and orders, it never removes one (screen.ts).
 */
import type { ScreenModel } from '../screen';
import { probabilityFor } from './scorer';
import type { ModelWeights } from './train';
import file from './weights.json';

export interface ModelFile extends ModelWeights {
	/** How the file was made (the training script's name and what it read). */
	about: string;
	thresholds: { review: number; urgent: number };
}

const model = file as unknown as ModelFile;
const probability = probabilityFor(model);

export const BUILT_IN_MODEL: ScreenModel = {
	probability,
	review: model.thresholds.review,
	urgent: model.thresholds.urgent
};

/** What the built-in model was trained on (counts), for the docs and the queue. */
export const BUILT_IN_MODEL_TRAINED_ON = model.trainedOn;
