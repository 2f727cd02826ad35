import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './helpers/server';
import { EngineThread } from '../src/lib/themes/engine-worker';
import {
	codeAnswers,
	discoverThemes,
	parseAnswersCsv,
	parseCodebook,
	parseCodedCsv,
	trainCoder
} from '../src/lib/themes/index';

const fx = path.resolve(__dirname, 'fixtures/themes');
const codebook = parseCodebook(fs.readFileSync(path.join(fx, 'codebook.json'), 'utf8'));
const coded = parseCodedCsv(
	fs.readFileSync(path.join(fx, 'coded.csv'), 'utf8'),
	'coded.csv',
	new Set(codebook.themes.map((t) => t.id))
);
/** Enough coded answers that training takes seconds, like an officer's coding of a big question. */
const many = Array.from({ length: 3000 }, (_, i) => {
	const a = coded[i % coded.length];
	const b = coded[(i * 7 + 3) % coded.length];
	return { id: `a${i}`, text: `${a.text} and ${b.text} ${i % 97}`, themes: [...new Set([...a.themes, ...b.themes])] };
});

describe('the theme engine in a worker thread', () => {
	const engine = new EngineThread();
	afterAll(() => engine.stop());

	it('answers requests promptly while a training job runs', async () => {
		const server = http.createServer((_req, res) => res.end('ok'));
		const port = await freePort();
		await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
		try {
			let training = true;
			const job = engine.train('big', codebook, many).finally(() => (training = false));
			const latencies: number[] = [];
			const deadline = Date.now() + 120_000;
			// Requests one after another, for as long as training runs (bounded in count and time).
			while (training && latencies.length < 2000 && Date.now() < deadline) {
				const t0 = performance.now();
				const res = await fetch(`http://127.0.0.1:${port}/`);
				await res.text();
				if (training) latencies.push(performance.now() - t0);
			}
			await job;
			expect(latencies.length, 'requests answered while training ran').toBeGreaterThan(5);
			latencies.sort((a, b) => a - b);
			const p99 = latencies[Math.floor(latencies.length * 0.99)];
			// On the main thread every request would wait the whole training run (seconds).
			expect(p99).toBeLessThan(500);
		} finally {
			await new Promise((r) => server.close(r));
		}
	}, 180_000);

	it('codes exactly as the engine does in this thread, and discovers themes', async () => {
		await engine.train('small', codebook, coded);
		const answers = ['my nan and my dog', 'nothing to do round here', 'more buses', 'As a parent, more buses'].map(
			(text, i) => ({ id: String(i), text })
		);
		expect(await engine.code('small', answers)).toEqual(codeAnswers(trainCoder(codebook, coded), answers));
		await expect(engine.code('missing', answers)).rejects.toThrow(/no model "missing"/);
		// "Code next" from the model the worker holds: the same order as in this thread.
		expect(await engine.queue('small', answers, { batch: 2 })).toEqual(
			trainCoder(codebook, coded).codeNext(answers, { batch: 2 })
		);
		await expect(engine.queue('missing', answers)).rejects.toThrow(/no model "missing"/);
		const pool = parseAnswersCsv(fs.readFileSync(path.join(fx, 'discover.csv'), 'utf8'), 'discover.csv');
		const found = await engine.discover(pool, { codebook });
		expect(found.map((c) => c.id)).toContain('skate-park');
		expect(found).toEqual(discoverThemes(pool, { codebook }));
	}, 120_000);

	it('a worker that dies fails what is pending; the next request starts a new one (generation 2)', async () => {
		const thread = new EngineThread();
		try {
			const none = [{ id: '1', text: 'more buses' }];
			await expect(thread.code('small', none)).rejects.toThrow(/no model "small"/);
			expect(thread.generation).toBe(1);
			const training = thread.train('big', codebook, many);
			// The worker killed while it trains (seconds): as if it crashed.
			await (thread as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
			await expect(training).rejects.toThrow(/the theme engine worker stopped \(exit code 1\)/);
			await expect(thread.code('small', none)).rejects.toThrow(/no model "small"/);
			expect(thread.generation).toBe(2);
		} finally {
			await thread.stop();
		}
	}, 120_000);
});
