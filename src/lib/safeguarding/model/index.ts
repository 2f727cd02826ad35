/**
 * The built-in screening models: two logistic regressions on what the lexicon screen saw (corrected
 * spellings, sound-alike keys, vocabulary categories and why each was or was not counted, anchors,
 * shape; the disclosure model also on the text's word and character n-grams), trained by `npm run safeguarding:model -- train` on the four independent writers'
 * evaluation sets, the project's own sentences and NHS feedback answers (train.csv) as negatives:
 *  - the disclosure model (any disclosure = 1) flags wording the lexicon missed and grades the score;
 *  - the urgent model (urgent disclosures = 1) raises a review flag to urgent (calibrated level).
 * The weights are committed (weights.json): deterministic, nothing downloaded. They only add flags,
 * raise levels and order; they never remove or lower one (screen.ts).
 */
import type { ScreenModel } from '../screen';
import { probabilityFor } from './scorer';
import type { ModelWeights } from './train';
import file from './weights.json';

export interface ModelFile extends ModelWeights {
	/** How the file was made (the training script's name and what it read). */
	about: string;
	/** review / urgent: on the disclosure model's probability; raiseToUrgent, raiseModelOnly: on the urgent model's. */
	thresholds: { review: number; urgent: number; raiseToUrgent: number; raiseModelOnly?: number };
	/** The urgent model: trained with only urgent disclosures as positives, on the signals only. */
	urgentModel: ModelWeights;
	/** Word-vector signals the models were trained with (absent: none; screen.ts, VectorOptions). */
	vectors?: { signals: boolean; gate: boolean };
	/** The sentence-aware design the models were trained with (absent: off; screen.ts, DesignOptions). */
	design?: { sentences: boolean; pairs: boolean };
	/** Unflagged answers ordered by both models (screen.ts, ScreenModel.rankWithUrgent; absent: off). */
	rankWithUrgent?: boolean;
}

const model = file as unknown as ModelFile;

export const BUILT_IN_MODEL: ScreenModel & { vectors?: ModelFile['vectors']; design?: ModelFile['design'] } = {
	...(model.vectors ? { vectors: model.vectors } : {}),
	...(model.design ? { design: model.design } : {}),
	probability: probabilityFor(model),
	review: model.thresholds.review,
	urgent: model.thresholds.urgent,
	// Absent only in a file from before the urgent model (so `train` can run to replace it).
	...(model.urgentModel
		? {
				urgentProbability: probabilityFor(model.urgentModel, { text: false }),
				raiseToUrgent: model.thresholds.raiseToUrgent,
				raiseModelOnly: model.thresholds.raiseModelOnly,
				rankWithUrgent: model.rankWithUrgent ?? false
			}
		: {})
};

/** What the built-in model was trained on (counts), for the docs and the queue. */
export const BUILT_IN_MODEL_TRAINED_ON = model.trainedOn;
