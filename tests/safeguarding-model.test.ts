// The built-in safeguarding model (src/lib/safeguarding/model/): its weights file, what it adds to the
// lexicon screen, what it must leave alone, determinism, and that the training script reproduces the weights.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { screenAnswer, screenAnswerWith, screenSignals } from '../src/lib/safeguarding/screen';
import { BUILT_IN_MODEL, BUILT_IN_MODEL_TRAINED_ON } from '../src/lib/safeguarding/model/index';
import { probabilityFor } from '../src/lib/safeguarding/model/scorer';
import { buildWeightsFile, readNhs, serialise, WEIGHTS_FILE } from '../scripts/safeguarding-model';

const RANK = { review: 1, urgent: 2 } as const;
const rank = (l: 'review' | 'urgent' | null) => (l ? RANK[l] : 0);
const nhsDir = path.join(path.dirname(WEIGHTS_FILE), '../../../../../shared/data/nhs-feedback');
const haveNhs = fs.existsSync(path.join(nhsDir, 'train.csv')) && fs.existsSync(path.join(nhsDir, 'test.csv'));

describe('the weights file', () => {
	it('loads, with thresholds in 0..1 and counts of what it was trained on', () => {
		const file = JSON.parse(fs.readFileSync(WEIGHTS_FILE, 'utf8'));
		expect(file.weights.length).toBeGreaterThan(1000);
		expect(BUILT_IN_MODEL.review).toBeGreaterThan(0.5);
		expect(BUILT_IN_MODEL.review).toBeLessThan(1);
		expect(BUILT_IN_MODEL.urgent).toBeGreaterThanOrEqual(BUILT_IN_MODEL.review);
		expect(BUILT_IN_MODEL_TRAINED_ON.positives).toBeGreaterThanOrEqual(500);
		expect(BUILT_IN_MODEL_TRAINED_ON.negatives).toBeGreaterThan(BUILT_IN_MODEL_TRAINED_ON.positives);
		// Weights in order, one per bucket, so the file diffs cleanly when retrained.
		for (let i = 1; i < file.weights.length; i++) expect(file.weights[i][0]).toBeGreaterThan(file.weights[i - 1][0]);
	});
});

describe('what the model adds', () => {
	// My own wording (not from any fixture): a child left without care, with no phrase of the lexicon.
	const unwritten = 'mum doesnt come home for days and i have to find food for me and my brother';

	it('flags a disclosure the lexicon screen alone leaves unflagged', () => {
		expect(screenAnswerWith(unwritten, null).level).toBeNull();
		const res = screenAnswer(unwritten);
		expect(res.level).not.toBeNull();
		expect(res.categories).toContain('neglect');
		expect(res.score).toBeGreaterThanOrEqual(0.5);
	});

	it('a flag from the model alone is urgent when the urgent model reads current risk (calibrated level)', () => {
		// A child left without care for days now: the urgent model reads it at raiseModelOnly or more.
		expect(BUILT_IN_MODEL.urgentProbability!(unwritten, screenSignals(unwritten))).toBeGreaterThanOrEqual(
			BUILT_IN_MODEL.raiseModelOnly!
		);
		expect(screenAnswer(unwritten).level).toBe('urgent');
		// Without that threshold the same flag is review, as before 1 Dec 2026 (afternoon).
		const { raiseModelOnly: _m, ...lexiconFlagsOnly } = BUILT_IN_MODEL;
		expect(screenAnswerWith(unwritten, lexiconFlagsOnly).level).toBe('review');
	});

	it('never removes or lowers a flag the lexicon screen raised', () => {
		for (const text of [
			'i want to kill myself',
			'I used to self harm when I was in year 8',
			'my dad hits me with his belt',
			'i want to kill myself just kidding',
			'my friend told me her dad hurts her',
			'i was bullied in year 7 but it got sorted and im fine now'
		]) {
			const alone = screenAnswerWith(text, null);
			const withModel = screenAnswer(text);
			expect(rank(withModel.level), text).toBeGreaterThanOrEqual(rank(alone.level));
			expect(withModel.score, text).toBeGreaterThanOrEqual(alone.score);
		}
	});

	it('raises a review flag of the lexicon to urgent when the urgent model reads current risk (calibrated level)', () => {
		// My own wording: ongoing abuse of a specific child, which the lexicon's level rules give review.
		const text = 'my friend told me her dad hurts her';
		expect(screenAnswerWith(text, null).level).toBe('review');
		expect(BUILT_IN_MODEL.urgentProbability!(text, screenSignals(text))).toBeGreaterThanOrEqual(
			BUILT_IN_MODEL.raiseToUrgent!
		);
		expect(screenAnswer(text).level).toBe('urgent');
		// Without the urgent model the same screen leaves it at review.
		const { urgentProbability: _u, raiseToUrgent: _r, ...disclosureOnly } = BUILT_IN_MODEL;
		expect(screenAnswerWith(text, disclosureOnly).level).toBe('review');
	});

	it('a past, resolved harm stays review (the urgent model reads the past too)', () => {
		expect(screenAnswer('I used to self harm when I was in year 8').level).toBe('review');
	});

	it('orders unflagged answers by how much they read like a disclosure', () => {
		const near = screenAnswer('nobody comes to pick me up and i walk home in the dark and the door is locked');
		const plain = screenAnswer('The nurse was lovely and explained everything clearly');
		expect(near.score).toBeGreaterThan(plain.score);
	});
});

describe('what the model leaves alone', () => {
	it.each([
		'The nurse was lovely and explained everything clearly',
		'Waiting time to see the doctor was far too long and nobody told us why',
		'Parking at the hospital is expensive and there are never enough spaces',
		'Reception staff were rude on the phone',
		'more support for young people who self-harm',
		'youth services have been cut and there is nothing for teenagers to do',
		'bullying is the biggest issue in schools round here',
		'county lines gangs are a big problem in our town and the police should do more',
		'my brother keeps killing me in minecraft',
		'more buses to town and a better skate park'
	])('not flagged: %s', (text) => {
		expect(screenAnswer(text).level).toBeNull();
	});

	it.skipIf(!haveNhs)('flags at most 3% of NHS feedback answers it was not trained on (test.csv)', () => {
		const texts = readNhs('test.csv');
		const flagged = texts.filter((t) => screenAnswer(t).level !== null).length;
		expect(texts.length).toBeGreaterThan(1000);
		expect(flagged / texts.length).toBeLessThanOrEqual(0.03);
	});
});

describe('what the recall-first point costs', () => {
	it("adds review flags to at most 14 of the project's 158 comment sentences, and never an urgent one", () => {
		// sentences.json: ordinary answers such as "My grandad died and I miss him" (docs, section 1). Measured
		// 14 on 1 Dec 2026 with review at 0.6; a retrain that adds more should be a decision, not a drift.
		const file = path.join(path.dirname(WEIGHTS_FILE), '../../../../tests/fixtures/safeguarding/sentences.json');
		const comments = (
			JSON.parse(fs.readFileSync(file, 'utf8')) as { sentences: { label: string; text: string }[] }
		).sentences.filter((s) => s.label !== 'disclosure');
		expect(comments.length).toBe(158);
		const added = comments.filter((s) => !screenAnswerWith(s.text, null).level && screenAnswer(s.text).level);
		expect(added.length).toBeLessThanOrEqual(14);
		expect(added.filter((s) => screenAnswer(s.text).level === 'urgent')).toEqual([]);
	});
});

describe('determinism', () => {
	it('the same answer gets the same probability, flag and score every time, from the same weights', () => {
		const text = 'nobody comes to pick me up and i walk home in the dark';
		const first = screenAnswer(text);
		expect(screenAnswer(text)).toEqual(first);
		const again = probabilityFor(JSON.parse(fs.readFileSync(WEIGHTS_FILE, 'utf8')));
		expect(again(text, screenSignals(text))).toBe(BUILT_IN_MODEL.probability(text, screenSignals(text)));
	});
});

describe('the training script', () => {
	it.skipIf(!haveNhs)(
		'reproduces the committed weights file from the data (npm run safeguarding:model -- train)',
		() => {
			expect(serialise(buildWeightsFile())).toBe(fs.readFileSync(WEIGHTS_FILE, 'utf8'));
		},
		// Nine writers, about 30 s of CPU; allow for a loaded machine (it took over 300 s of wall time at load 19).
		900_000
	);
});
