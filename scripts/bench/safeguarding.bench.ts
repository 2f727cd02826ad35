// Safeguarding screen: precision / recall / F1 of flagging (any level) on the
// sentence fixture, per set (tuning = dev; heldout; heldout2; heldout3, the only set
// never tuned on), urgent-level recall, and throughput on 100,000 answers.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { screenAnswer } from '../../src/lib/safeguarding/screen';

interface Sentence {
	set: 'dev' | 'heldout' | 'heldout2' | 'heldout3';
	label: 'disclosure' | 'comment';
	minLevel?: 'urgent' | 'review';
	text: string;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const fixturePath = path.join(here, '../../tests/fixtures/safeguarding/sentences.json');

function score(sentences: Sentence[]) {
	let tp = 0, fp = 0, fn = 0, tn = 0, urgentTotal = 0, urgentHit = 0;
	for (const s of sentences) {
		const level = screenAnswer(s.text).level;
		if (s.label === 'disclosure') {
			if (level) tp++;
			else fn++;
			if (s.minLevel === 'urgent') {
				urgentTotal++;
				if (level === 'urgent') urgentHit++;
			}
		} else if (level) fp++;
		else tn++;
	}
	const precision = tp / (tp + fp || 1);
	const recall = tp / (tp + fn || 1);
	const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
	return { tp, fp, fn, tn, precision, recall, f1, urgentTotal, urgentHit };
}

export async function run(log: (line: string) => void): Promise<void> {
	const { sentences } = JSON.parse(fs.readFileSync(fixturePath, 'utf8')) as { sentences: Sentence[] };
	const sets = [
		['tuning', 'dev'],
		['heldout', 'heldout'],
		['heldout2', 'heldout2'],
		['heldout3', 'heldout3'],
		['all', 'all']
	] as const;
	for (const [name, set] of sets) {
		const subset = set === 'all' ? sentences : sentences.filter((s) => s.set === set);
		const r = score(subset);
		log(
			`${name.padEnd(8)} n=${String(subset.length).padStart(3)}  precision ${r.precision.toFixed(3)}  recall ${r.recall.toFixed(3)}  F1 ${r.f1.toFixed(3)}  ` +
				`urgent recall ${(r.urgentHit / (r.urgentTotal || 1)).toFixed(3)} (${r.urgentHit}/${r.urgentTotal})  [tp ${r.tp} fp ${r.fp} fn ${r.fn} tn ${r.tn}]`
		);
	}
	// Throughput: 100,000 answers built from the fixture plus filler so the cache cannot do all the work.
	const fillers = ['', ' The youth club is great.', ' More buses to Worcester please', ' I am in year 7 and like football.'];
	const answers: string[] = [];
	for (let i = 0; i < 100_000; i++) {
		answers.push(sentences[i % sentences.length].text + fillers[i % fillers.length] + (i % 13 === 0 ? ` ${i}` : ''));
	}
	screenAnswer('warm up');
	const t0 = performance.now();
	let flagged = 0;
	for (const a of answers) if (screenAnswer(a).level) flagged++;
	const seconds = (performance.now() - t0) / 1000;
	log(`throughput: ${answers.length} answers in ${seconds.toFixed(2)} s = ${Math.round(answers.length / seconds)} screens/s (${flagged} flagged)`);
}
