// Ordering unflagged answers by both models (screen.ts, ScreenModel.rankWithUrgent): off in the shipped weights
// (docs/safeguarding-and-privacy.md, "Ordering by both models, tried and not shipped"); these pin what it does.
import { describe, expect, it } from 'vitest';
import { BUILT_IN_MODEL } from './model/index';
import { screenAnswerWith, type ScreenModel } from './screen';

// Stub models, so the test reads the rule and not the trained weights.
const model = (pu: number, rankWithUrgent: boolean): ScreenModel => ({
	probability: () => 0.1,
	review: 0.6,
	urgent: 0.9,
	urgentProbability: () => pu,
	raiseToUrgent: 0.6,
	raiseModelOnly: 0.7,
	rankWithUrgent
});

const ordinary = 'more buses to town and a better park please';

describe('ordering by both models', () => {
	it('is off in the shipped screen', () => {
		expect(BUILT_IN_MODEL.rankWithUrgent).toBe(false);
	});

	it('raises an unflagged answer in the reading list when the urgent model reads it high, and leaves its level alone', () => {
		const off = screenAnswerWith(ordinary, model(0.5, false));
		const on = screenAnswerWith(ordinary, model(0.5, true));
		expect(on.level).toBeNull();
		expect(off.level).toBeNull();
		expect(on.score).toBeGreaterThan(off.score);
		// Still below every flagged answer (review scores start at 0.5).
		expect(on.score).toBeLessThan(0.5);
	});

	it("does not change a flagged answer's score", () => {
		const text = 'i get bullied at school'; // a review flag: the urgent model is asked, but does not raise it at 0.5
		expect(screenAnswerWith(text, model(0.5, true))).toEqual(screenAnswerWith(text, model(0.5, false)));
	});
});
