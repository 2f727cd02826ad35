import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeAnswers, loadCoder, trainCoder } from './coder';
import { parseCodebook } from './codebook';
import { parseCodedCsv } from './csv';
import { evaluate, formatEvaluation } from './evaluate';

const fx = path.resolve(__dirname, '../../../tests/fixtures/themes');
const codebook = parseCodebook(fs.readFileSync(path.join(fx, 'codebook.json'), 'utf8'));
const coded = parseCodedCsv(
	fs.readFileSync(path.join(fx, 'coded.csv'), 'utf8'),
	'coded.csv',
	new Set(codebook.themes.map((t) => t.id))
);
const ids = (r: { id: string }[]) => r.map((t) => t.id);

describe('learner', () => {
	const trained = trainCoder(codebook, coded);
	const keywordsOnly = trainCoder(codebook);

	it('learns a theme from coded examples that the keywords alone miss', () => {
		const text = 'the buses never come on time';
		expect(ids(keywordsOnly.code(text))).not.toContain('transport');
		expect(ids(trained.code(text))).toContain('transport');
		expect(ids(trained.code('a train to town would help'))).toContain('transport');
	});
	it('still codes keyword themes and misspellings after training', () => {
		expect(ids(trained.code('my famly'))).toContain('family');
		expect(ids(trained.code('me and my frends'))).toContain('friends');
		expect(ids(trained.code('I have a pet rabbit'))).toContain('pets');
	});
	it('reports calibration from cross-validation on the training data', () => {
		expect(trained.model.mode).toBe('trained');
		expect(trained.model.cv!.microF1).toBeGreaterThan(0.5);
		for (const t of trained.model.themes) {
			expect(t.threshold).toBeGreaterThan(0);
			expect(t.threshold).toBeLessThan(1);
		}
	});
	it('rejects coded answers with theme ids not in the codebook', () => {
		expect(() => trainCoder(codebook, [{ id: 'x', text: 'hi', themes: ['nope'] }])).toThrow(/unknown theme id "nope"/);
	});
});

describe('determinism and serialisation', () => {
	const answers = [
		{ id: '1', text: 'my mum and the bus' },
		{ id: '2', text: 'nothing to do, bored' },
		{ id: '3', text: 'something else entirely' },
		{ id: '4', text: 'my dog and my mates' }
	];
	it('same inputs give the same model and the same output', () => {
		const a = trainCoder(codebook, coded);
		const b = trainCoder(codebook, coded);
		expect(JSON.stringify(a.model)).toBe(JSON.stringify(b.model));
		expect(codeAnswers(a, answers)).toEqual(codeAnswers(b, answers));
	});
	it('a model saved as JSON codes exactly as the original', () => {
		const a = trainCoder(codebook, coded);
		const json = JSON.stringify(a.model);
		const b = loadCoder(json);
		expect(codeAnswers(b, answers)).toEqual(codeAnswers(a, answers));
		expect(() => loadCoder('{"format":"something"}')).toThrow(/not a theme coder model/);
	});
});

describe('evaluate', () => {
	it('computes per-theme P/R/F1, micro and macro over themes with ≥ 5 gold answers', () => {
		const gold = [
			...Array.from({ length: 5 }, (_, i) => ({ id: `a${i}`, themes: ['x'] })),
			{ id: 'b', themes: ['y'] },
			{ id: 'c', themes: [] }
		];
		const pred = [
			...Array.from({ length: 4 }, (_, i) => ({ id: `a${i}`, themes: ['x'] })),
			{ id: 'b', themes: ['x'] },
			{ id: 'c', themes: ['y'] }
		];
		const e = evaluate(pred, gold, { themeIds: ['x', 'y'] });
		const x = e.perTheme.find((m) => m.id === 'x')!;
		expect(x).toMatchObject({ support: 5, predicted: 5, tp: 4 });
		expect(x.f1).toBeCloseTo(0.8);
		expect(e.micro.f1).toBeCloseTo((2 * 4) / (2 * 4 + 2 + 2));
		expect(e.macroThemes).toBe(1);
		expect(e.macroF1).toBeCloseTo(0.8);
		const lines = formatEvaluation(e).split('\n');
		expect(lines.at(-1)).toBe(`microF1=${e.micro.f1.toFixed(3)} macroF1=0.800`);
	});
});
