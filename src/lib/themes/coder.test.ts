import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
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
	it('with rareWeight, weighs a theme with few coded answers more; by default the model is as before', () => {
		const weights = (c: ReturnType<typeof trainCoder>) => c.model.weights;
		expect(weights(trainCoder(codebook, coded, { rareWeight: 0 }))).toBe(weights(trained));
		expect(weights(trainCoder(codebook, coded, { rareWeight: 0.5 }))).not.toBe(weights(trained));
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

describe('perspective (the group an answer was given as)', () => {
	const book = parseCodebook({
		themes: [
			{ id: 'home', label: 'Home life' },
			{ id: 'services', label: 'Support services' },
			{ id: 'play', label: 'Play' }
		]
	});
	// Children write about their own family; practitioners use the same word for family support.
	const childFamily = ['my family', 'my family and my nan', 'being with my family', 'family', 'my family is kind'];
	const proFamily = ['families', 'family', 'support for families', 'help for families', 'more for families'];
	const training = [
		...childFamily.flatMap((t, i) => [0, 1, 2].map((k) => ({ text: t, p: 'child', th: ['home'], n: `c${i}-${k}` }))),
		...proFamily.flatMap((t, i) =>
			[0, 1, 2].map((k) => ({ text: t, p: 'practitioner', th: ['services'], n: `p${i}-${k}` }))
		),
		...['playing outside', 'the park', 'games with friends', 'playing football', 'the swings'].flatMap((t, i) =>
			['child', 'practitioner'].map((p) => ({ text: t, p, th: ['play'], n: `g${i}-${p}` }))
		),
		...['counselling', 'a social worker', 'someone to talk to'].flatMap((t, i) =>
			['child', 'practitioner'].map((p) => ({ text: t, p, th: ['services'], n: `s${i}-${p}` }))
		)
	].map((r) => ({ id: r.n, text: r.text, perspective: r.p, themes: r.th }));
	const coder = trainCoder(book, training);

	it('tells "family" from a child apart from "family" from a practitioner', () => {
		expect(ids(coder.code('family', 'child'))).toEqual(['home']);
		expect(ids(coder.code('family', 'practitioner'))).toEqual(['services']);
		const asChild = coder.scores('our family', 'child');
		const asPro = coder.scores('our family', 'practitioner');
		expect(asChild[0]).toBeGreaterThan(asPro[0]); // home
		expect(asPro[1]).toBeGreaterThan(asChild[1]); // services
	});
	it('the group on its own is never evidence: words the coder has not learned score the same whoever gave them', () => {
		for (const text of ['ok', 'nothing else', ''])
			for (const p of ['practitioner', null])
				expect(Array.from(coder.scores(text, p)), `${text} as ${p}`).toEqual(Array.from(coder.scores(text, 'child')));
	});
	it('changes nothing for a coder trained without perspectives', () => {
		const plain = trainCoder(
			book,
			training.map((c) => ({ ...c, perspective: undefined }))
		);
		for (const text of ['family', 'my family', 'support for families', 'the park'])
			expect(Array.from(plain.scores(text, 'child'))).toEqual(Array.from(plain.scores(text)));
	});
	it('is used by codeAnswers and kept through a saved model', () => {
		const again = loadCoder(JSON.stringify(coder.model));
		expect(
			codeAnswers(again, [
				{ id: 'a', text: 'family', perspective: 'child' },
				{ id: 'b', text: 'family', perspective: 'practitioner' }
			]).map((r) => ids(r.themes))
		).toEqual([['home'], ['services']]);
	});
});

describe('ensemble of NB-SVM and plain SVM (option blend)', () => {
	const weights = (c: ReturnType<typeof trainCoder>) =>
		new Float32Array(Uint8Array.from(Buffer.from(c.model.weights!, 'base64')).buffer);
	const nbOnly = trainCoder(codebook, coded, { blend: 0 });
	const plainOnly = trainCoder(codebook, coded, { blend: 1 });
	const half = trainCoder(codebook, coded, { blend: 0.5 });
	it('blend 1 is the plain SVM and blend 0 the NB-SVM', () => {
		expect(weights(plainOnly)).toEqual(weights(trainCoder(codebook, coded, { nb: 0 })));
		expect(weights(nbOnly)).not.toEqual(weights(plainOnly));
	});
	it('blend ½ is one weight vector halfway between the two, so coding costs the same', () => {
		const [a, b, m] = [weights(nbOnly), weights(plainOnly), weights(half)];
		expect(m.length).toBe(a.length);
		let differ = 0;
		for (let i = 0; i < m.length; i++) {
			expect(m[i]).toBeCloseTo((a[i] + b[i]) / 2, 5);
			if (Math.abs(a[i] - b[i]) > 1e-4) differ++;
		}
		expect(differ).toBeGreaterThan(0);
	});
	it('still learns the themes the keywords miss', () => {
		expect(ids(half.code('the buses never come on time'))).toContain('transport');
		expect(ids(half.code('my famly'))).toContain('family');
	});
});

describe('word vectors (option vectors)', () => {
	const withVectors = trainCoder(codebook, coded, { vectors: 1, vectorIdf: true, labelVectors: 1 });
	const dims = (c: ReturnType<typeof trainCoder>) => Buffer.from(c.model.weights!, 'base64').length / 4;
	it('adds a dense block after the bias (100 mean-vector columns and one label similarity per theme)', () => {
		const plain = trainCoder(codebook, coded);
		const T = codebook.themes.length;
		expect(dims(withVectors) / T - dims(plain) / T).toBe(100 + T);
		expect(trainCoder(codebook, coded, { vectors: 1 }).model.weights).not.toBe(plain.model.weights);
		expect(trainCoder(codebook, coded, { vectors: 0 }).model.weights).toBe(plain.model.weights);
	});
	it('a saved model codes exactly as the original', () => {
		const again = loadCoder(JSON.stringify(withVectors.model));
		for (const text of ['the buses never come on time', 'nowhere to play', 'my nan and grandad', 'zzz'])
			expect(Array.from(again.scores(text))).toEqual(Array.from(withVectors.scores(text)));
	});
	it('leaves the self-description out of the vector too', () => {
		for (const text of ['more buses please', 'somewhere to play football', 'my friends'])
			expect(Array.from(withVectors.scores(`As a parent, ${text}`))).toEqual(Array.from(withVectors.scores(text)));
	});
	it('still learns the themes the keywords miss', () => {
		expect(ids(withVectors.code('the buses never come on time'))).toContain('transport');
		expect(ids(withVectors.code('my famly'))).toContain('family');
	});
});

describe('verdicts once per distinct text (issue #19: many answers repeat)', () => {
	const trained = trainCoder(codebook, coded);
	const texts = ['The buses never come on time', 'the buses never come on time', 'my famly', 'My Famly', 'a pet'];

	it('classifies each distinct normalised text and perspective once', () => {
		const coder = loadCoder(JSON.stringify(trained.model));
		const spy = vi.spyOn(coder as unknown as { scoresOf: (...a: unknown[]) => unknown }, 'scoresOf');
		for (const p of [undefined, null, '', 'child', 'child']) for (const t of texts) coder.code(t, p);
		// Three distinct normalised texts; no perspective (undefined, null, '') is one, 'child' another.
		expect(spy).toHaveBeenCalledTimes(6);
	});
	it('gives each answer the verdict a fresh coder gives it alone, and a caller cannot change a remembered one', () => {
		const coder = loadCoder(JSON.stringify(trained.model));
		const batch = codeAnswers(
			coder,
			[...texts, ...texts].map((text, i) => ({ id: String(i), text, perspective: i % 3 ? 'child' : null }))
		);
		batch[0].themes.push({ id: 'made-up', confidence: 1 });
		if (batch[1].themes[0]) batch[1].themes[0].confidence = -1;
		[...texts, ...texts].forEach((text, i) => {
			const alone = loadCoder(JSON.stringify(trained.model)).code(text, i % 3 ? 'child' : null);
			expect(coder.code(text, i % 3 ? 'child' : null)).toEqual(alone);
			if (i > 1) expect(batch[i].themes).toEqual(alone);
		});
	});
});
