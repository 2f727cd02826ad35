import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeNextOrder, densities, jaccard, uncertainty } from './active';
import { trainCoder } from './coder';
import { parseCodebook } from './codebook';
import { parseCodedCsv } from './csv';

describe('uncertainty', () => {
	it('is highest for probabilities near one half and zero for sure answers', () => {
		expect(uncertainty([0.5])).toBeCloseTo(1, 10);
		expect(uncertainty([0, 1, 0])).toBe(0);
		expect(uncertainty([0.45, 0.1])).toBeGreaterThan(uncertainty([0.9, 0.1]));
		// two undecided themes teach more than one
		expect(uncertainty([0.5, 0.5])).toBeCloseTo(2, 10);
	});
	it('with keyword evidence only, puts answers the codebook explains least first', () => {
		expect(uncertainty([0, 0], true)).toBe(1);
		expect(uncertainty([0.9, 0.2], true)).toBeCloseTo(0.1, 10);
	});
});

describe('jaccard', () => {
	it('measures word overlap of sorted key sets', () => {
		expect(jaccard(Int32Array.from([1, 2, 3]), Int32Array.from([2, 3, 4]))).toBeCloseTo(0.5, 10);
		expect(jaccard(Int32Array.from([1]), Int32Array.from([2]))).toBe(0);
	});
});

describe('codeNextOrder', () => {
	const c = (id: string, p: number[], keys: number[]) => ({ id, probs: p, keys });
	it('orders by uncertainty, most uncertain first, ties by id', () => {
		const order = codeNextOrder(
			[c('sure', [0.99, 0.01], [1]), c('b', [0.5, 0.5], [2]), c('a', [0.5, 0.5], [3]), c('mid', [0.3, 0.1], [4])],
			{ density: 0 }
		);
		expect(order).toEqual(['a', 'b', 'mid', 'sure']);
	});
	it('does not put near-duplicates in the same batch, and repeats after everything new', () => {
		const order = codeNextOrder(
			[
				c('nothing1', [0.5, 0.5], [7]),
				c('nothing2', [0.5, 0.49], [7]),
				c('buses', [0.4, 0.4], [1, 2, 3]),
				c('buses-again', [0.4, 0.39], [1, 2, 3, 4]),
				c('parks', [0.3, 0.3], [5, 6])
			],
			{ batch: 3, density: 0 }
		);
		expect(order.slice(0, 3)).toEqual(['nothing1', 'buses', 'parks']);
		expect(order).toHaveLength(5);
		// the exact repeat of "nothing" comes after the near-duplicate that differs by a word
		expect(order.slice(3)).toEqual(['buses-again', 'nothing2']);
	});
	it('with unexplained, also asks for an answer no theme fits yet', () => {
		// all probabilities small: little entropy, but nothing explains the answer
		const cands = [c('unexplained', [0.03, 0.02], [1]), c('undecided', [0.3, 0.95], [2])];
		expect(codeNextOrder(cands, { density: 0 })).toEqual(['undecided', 'unexplained']);
		expect(codeNextOrder(cands, { density: 0, unexplained: 1 })).toEqual(['unexplained', 'undecided']);
		// keyword evidence alone already ranks by how little is explained; the option changes nothing there
		expect(codeNextOrder(cands, { density: 0, unexplained: 1, keywordsOnly: true })).toEqual(
			codeNextOrder(cands, { density: 0, keywordsOnly: true })
		);
	});
	it('puts answers with no content words last and respects limit', () => {
		const order = codeNextOrder([c('empty', [0.5, 0.5], []), c('x', [0.1, 0.1], [1])]);
		expect(order).toEqual(['x', 'empty']);
		expect(codeNextOrder([c('empty', [0.5], []), c('x', [0.1], [1])], { limit: 1 })).toEqual(['x']);
	});
	it('with density, prefers a typical uncertain answer to an odd one equally uncertain', () => {
		const cands = [
			c('odd', [0.5], [90, 91]),
			c('typical', [0.5], [1, 2]),
			c('t2', [0.01], [1, 2, 3]),
			c('t3', [0.01], [1, 2, 4]),
			c('t4', [0.01], [2, 1, 5])
		];
		expect(codeNextOrder(cands, { density: 0 })[0]).toBe('odd');
		expect(codeNextOrder(cands, { density: 1 })[0]).toBe('typical');
		expect(
			densities([Int32Array.from([1, 2]), Int32Array.from([1, 2]), Int32Array.from([3])], ['a', 'b', 'c'])[0]
		).toBeCloseTo(0.5, 10);
	});
	it('with exploration, takes that share of each batch in a fixed pseudo-random order, every answer once', () => {
		const cands = Array.from({ length: 40 }, (_, i) => c(`a${i}`, [i / 80], [i]));
		const plain = codeNextOrder(cands, { density: 0, batch: 10 });
		const mixed = codeNextOrder(cands, { density: 0, batch: 10, explore: 0.5 });
		expect(plain.slice(0, 10)).toEqual(
			cands
				.slice(30)
				.map((x) => x.id)
				.reverse()
		);
		expect(mixed.slice(0, 10)).not.toEqual(plain.slice(0, 10));
		// half of the first batch is still the most uncertain answers
		expect(mixed.slice(5, 10).every((id) => Number(id.slice(1)) >= 30)).toBe(true);
		expect([...mixed].sort()).toEqual([...plain].sort());
		expect(codeNextOrder(cands, { density: 0, batch: 10, explore: 0.5 })).toEqual(mixed);
	});
	it('margin: asks first for the answer whose most undecided theme is nearest its threshold', () => {
		const thresholds = [0.3, 0.6];
		// at a threshold → 1; sure either way → 0
		expect(uncertainty([0.3, 0], false, 'sum', thresholds)).toBeCloseTo(1, 10);
		expect(uncertainty([1, 0], false, 'sum', thresholds)).toBeCloseTo(0, 10);
		const cands = [c('sure', [0.99, 0.01], [1]), c('near2', [0.05, 0.55], [2]), c('near1', [0.33, 0.01], [3])];
		expect(codeNextOrder(cands, { density: 0, measure: 'margin', thresholds })).toEqual(['near1', 'near2', 'sure']);
		// entropy would put near2 (0.55) before near1
		expect(codeNextOrder(cands, { density: 0 })[0]).toBe('near2');
	});
	it('k-means++ seeding: the first picks cover the different kinds of answer, not one kind', () => {
		const cands = [
			...Array.from({ length: 6 }, (_, i) => c(`bus${i}`, [0], [1, 2, 100 + i])),
			...Array.from({ length: 3 }, (_, i) => c(`park${i}`, [0], [3, 4, 200 + i])),
			...Array.from({ length: 3 }, (_, i) => c(`staff${i}`, [0], [5, 6, 300 + i])),
			c('odd', [0], [9]),
			c('empty', [0], [])
		];
		const order = codeNextOrder(cands, { keywordsOnly: true, seeding: 'kmeans++' });
		expect(
			order
				.slice(0, 3)
				.map((id) => id.replace(/\d+$/, ''))
				.sort()
		).toEqual(['bus', 'park', 'staff']);
		expect(order.at(-1)).toBe('empty');
		expect([...order].sort()).toEqual(cands.map((x) => x.id).sort());
	});
	it('coverage: passes over answers like those already coded', () => {
		const cands = [c('like-coded', [0.5], [1, 2, 3]), c('new', [0.45], [7, 8]), c('new-too', [0.44], [7, 8, 9])];
		const plain = codeNextOrder(cands, { density: 0 });
		expect(plain[0]).toBe('like-coded');
		const covered = codeNextOrder(cands, { density: 0, coverage: 1, coded: [[1, 2, 3]] });
		expect(covered[0]).toBe('new');
		// and spreads the batch: after "new", its near-copy waits behind nothing else new
		expect(covered).toEqual(['new', 'new-too', 'like-coded']);
	});
});

describe('Coder.codeNext', () => {
	const fx = path.resolve(__dirname, '../../../tests/fixtures/themes');
	const codebook = parseCodebook(fs.readFileSync(path.join(fx, 'codebook.json'), 'utf8'));
	const coded = parseCodedCsv(
		fs.readFileSync(path.join(fx, 'coded.csv'), 'utf8'),
		'coded.csv',
		new Set(codebook.themes.map((t) => t.id))
	);
	it('without coding yet, asks first for answers the keywords do not explain', () => {
		const coder = trainCoder(codebook);
		const order = coder.codeNext([
			{ id: 'kw', text: 'my family and my friends' },
			{ id: 'unknown', text: 'the weather was grim all week' }
		]);
		expect(order[0]).toBe('unknown');
	});
	it('is deterministic and returns every uncoded answer once', () => {
		const coder = trainCoder(codebook, coded);
		const answers = coded.map((a) => ({ id: a.id, text: a.text }));
		const a = coder.codeNext(answers);
		expect(coder.codeNext(answers)).toEqual(a);
		expect([...a].sort()).toEqual(answers.map((x) => x.id).sort());
	});
});
