// Word-vector features of the built-in models (vectors.ts): what they see, max-pooling over sentences,
// determinism, and that the generated thresholds (vector-bins.ts) are reproduced from NHS train.csv.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tokenise } from './normalise';
import { vectorFeatures, vectorSignals } from './vectors';
import { VECTOR_BINS } from './vector-bins';
import { screenSignals, useVectorSignals } from './screen';
import { BUILT_IN_MODEL } from './model/index';
import { VECTOR_BINS_FILE, vectorBinsFile } from '../../../scripts/safeguarding-model';

const signals = (text: string) => vectorSignals(tokenise(text));
const level = (text: string) => signals(text).filter((s) => s.startsWith('vs:any:')).length;

describe('word-vector signals', () => {
	// My own wording, not from any fixture.
	it('put a sentence of harm far above ordinary answers, with no vocabulary needed', () => {
		expect(level('my stepdad battered me last night')).toBeGreaterThanOrEqual(2);
		expect(level('more buses and a skate park please')).toBeLessThan(2);
		expect(level('The nurse was lovely and the ward was clean')).toBeLessThan(2);
	});

	it('name the category the sentence is nearest', () => {
		expect(signals('my stepdad battered me last night')).toContain('vs:domestic-abuse:2');
		expect(signals('i have been starving myself for weeks')).toContain('vs:eating:1');
	});

	it('max-pool over sentences: a disclosure buried after an ordinary suggestion keeps its signals', () => {
		const alone = signals('also my stepdad battered me last night').filter((s) => s.startsWith('vs:'));
		const buried = signals('a better park. also my stepdad battered me last night').filter((s) => s.startsWith('vs:'));
		for (const s of alone) expect(buried).toContain(s);
	});

	it('are deterministic, and reach the screen signals the models read when switched on', () => {
		const text = 'mum doesnt come home for days and i have to find food for me and my brother';
		expect(signals(text)).toEqual(signals(text));
		expect(vectorFeatures(tokenise(text))).toEqual(vectorFeatures(tokenise(text)));
		// Off in the shipped weights (docs): the screen computes them only when the models were trained with them.
		expect(screenSignals(text).some((s) => s.startsWith('vs:'))).toBe(BUILT_IN_MODEL.vectors?.signals ?? false);
		try {
			useVectorSignals({ signals: true, gate: false });
			const screen = screenSignals(text);
			for (const s of signals(text)) expect(screen).toContain(s);
		} finally {
			useVectorSignals(BUILT_IN_MODEL.vectors ?? { signals: false, gate: false });
		}
	});

	it('thresholds rise per category (75th, 95th, 99th percentile of ordinary adult text)', () => {
		expect(Object.keys(VECTOR_BINS).length).toBeGreaterThanOrEqual(19);
		for (const bins of Object.values(VECTOR_BINS)) {
			expect(bins).toHaveLength(3);
			for (let k = 1; k < bins!.length; k++) expect(bins![k]).toBeGreaterThanOrEqual(bins![k - 1]);
		}
	});

	const nhs = path.join(path.dirname(VECTOR_BINS_FILE), '../../../../shared/data/nhs-feedback/train.csv');
	it.skipIf(!fs.existsSync(nhs))('vector-bins.ts is what `npm run safeguarding:model -- vector-bins` writes', () => {
		expect(vectorBinsFile()).toBe(fs.readFileSync(VECTOR_BINS_FILE, 'utf8'));
	});
});
