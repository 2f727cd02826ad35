// The built-in safeguarding models (src/lib/safeguarding/model/): train them, and measure how they generalise.
//
//   npm run safeguarding:model -- train    writes src/lib/safeguarding/model/weights.json (reproducible:
//                                          same data and screen, same file)
//   npm run safeguarding:model -- cross    leave-one-writer-out figures: for each of the five writers, train
//                                          on the other four writers' sets (+ project sentences, NHS train.csv)
//                                          and score the left-out writer's set and NHS test.csv
//   npm run safeguarding:model -- sweep    the same at several thresholds (how the thresholds were chosen)
//
// Training data: tests/fixtures/safeguarding/eval/tuning.csv (first writer, 609 rows), tuning-2.csv (second
// writer, 538 rows; the sealed set until 30 Nov 2026), tuning-3.csv (third writer, 561 rows; the sealed set
// until 1 Dec 2026), tuning-4.csv (fourth writer, 608 rows; the sealed set until 1 Dec 2026, 08:45 UTC),
// tuning-5.csv (fifth writer, 604 rows; the sealed set until its one scoring on 1 Dec 2026, 10:08 UTC)
// and tuning-6.csv (sixth writer, 636 rows; the sealed set until its one scoring on 1 Dec 2026, 13:26 UTC):
// disclosures as 1 and everything else as 0 (for the urgent model: urgent disclosures as 1), and NHS
// feedback answers from ../shared/data/nhs-feedback/train.csv as 0. NHS test.csv is never trained on.
// sealed.csv is never read.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsv } from '../src/lib/themes/csv';
import { screenAnswerWith, screenSignals, type ScreenModel } from '../src/lib/safeguarding/screen';
import { trainModel, type ModelExample } from '../src/lib/safeguarding/model/train';
import { probabilityFor } from '../src/lib/safeguarding/model/scorer';
import type { ModelFile } from '../src/lib/safeguarding/model/index';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const evalDir = path.join(root, 'tests/fixtures/safeguarding/eval');
const nhsDir = path.join(root, '../shared/data/nhs-feedback');
export const WEIGHTS_FILE = path.join(root, 'src/lib/safeguarding/model/weights.json');

/**
 * Thresholds (chosen with `sweep` on the leave-one-writer-out figures over four writers; see docs):
 * review / urgent on the disclosure model's probability, raiseToUrgent on the urgent model's.
 * Recall first: review 0.6 is the lowest at which no fold's NHS test.csv share went over 2.5%.
 * raiseModelOnly (1 Dec 2026, five writers): a flag from the disclosure model alone is urgent when the
 * urgent model reads it at 0.7 or more (at 0.6 it also raised grief and family talk; docs, section 1).
 */
export const THRESHOLDS = { review: 0.6, urgent: 0.9, raiseToUrgent: 0.6, raiseModelOnly: 0.7 };
/**
 * Each evaluation-set negative counts this many times: the NHS answers teach "adult patient talk is
 * not a disclosure", which is easy; the hard negatives (policy talk, games, family mentions) are
 * what the model must learn to tell apart, so they weigh more.
 */
export const EVAL_NEGATIVE_REPEAT = 10;

export interface EvalRow {
	id: string;
	text: string;
	label: 'disclosure' | 'none';
	level: string;
	kind: string;
}

export function readEval(file: string): EvalRow[] {
	return parseCsv(fs.readFileSync(file, 'utf8'), file, ['id', 'text', 'label', 'level', 'kind', 'voice']).map((r) => ({
		id: r.values.id,
		text: r.values.text,
		label: r.values.label === 'disclosure' ? 'disclosure' : 'none',
		level: r.values.level,
		kind: r.values.kind
	}));
}

export function readNhs(name: 'train.csv' | 'test.csv'): string[] {
	const file = path.join(nhsDir, name);
	return parseCsv(fs.readFileSync(file, 'utf8'), file, ['text'])
		.map((r) => r.values.text)
		.filter((t) => t.trim());
}

export const WRITERS = {
	first: 'tuning.csv',
	second: 'tuning-2.csv',
	third: 'tuning-3.csv',
	fourth: 'tuning-4.csv',
	fifth: 'tuning-5.csv',
	sixth: 'tuning-6.csv'
} as const;

/**
 * The project's own labelled sentences (tests/fixtures/safeguarding/sentences.json), sets dev, heldout and
 * heldout2: all were tuned on before, and they hold many short first-person answers from children that are
 * not disclosures, which the two evaluation sets have few of. heldout3 is left out as a check.
 */
export const PROJECT_SETS = ['dev', 'heldout', 'heldout2'];

export function readProjectSentences(): EvalRow[] {
	const file = path.join(root, 'tests/fixtures/safeguarding/sentences.json');
	const data = JSON.parse(fs.readFileSync(file, 'utf8')) as {
		sentences: { set: string; label: string; minLevel?: string; text: string }[];
	};
	return data.sentences
		.filter((s) => PROJECT_SETS.includes(s.set))
		.map((s, i) => ({
			id: `p${i}`,
			text: s.text,
			label: s.label === 'disclosure' ? 'disclosure' : 'none',
			level: s.minLevel ?? '',
			kind: s.label === 'disclosure' ? 'project' : 'project-comment'
		}));
}

const signalCache = new Map<string, string[]>();
const signalsOf = (text: string) => {
	let s = signalCache.get(text);
	if (!s) signalCache.set(text, (s = screenSignals(text)));
	return s;
};

/**
 * The training examples, in a fixed order, with the screen's signals. `urgentOnly`: the urgent
 * model's examples (urgent disclosures 1, everything else, review disclosures included, 0), on the
 * signals only (no text n-grams).
 */
export function examplesFrom(
	evalRows: readonly EvalRow[],
	nhsTrain: readonly string[],
	urgentOnly = false
): ModelExample[] {
	const out: ModelExample[] = [];
	for (const r of evalRows) {
		const label = r.label === 'disclosure' && (!urgentOnly || r.level === 'urgent') ? 1 : 0;
		const extra = signalsOf(r.text);
		const text = urgentOnly ? '' : r.text;
		for (let k = 0; k < (label ? 1 : EVAL_NEGATIVE_REPEAT); k++) out.push({ text, label, extra });
	}
	for (const text of nhsTrain) out.push({ text: urgentOnly ? '' : text, label: 0, extra: signalsOf(text) });
	return out;
}

/** Both models from the same rows: the disclosure model and the urgent model. */
function trainBoth(rows: readonly EvalRow[], nhsTrain: readonly string[]) {
	return {
		disclosure: trainModel(examplesFrom(rows, nhsTrain)),
		urgent: trainModel(examplesFrom(rows, nhsTrain, true))
	};
}

/** The weights file the built-in models load: trained on the four writers' sets and NHS train.csv. */
export function buildWeightsFile(): ModelFile {
	const rows = [...Object.values(WRITERS).flatMap((f) => readEval(path.join(evalDir, f))), ...readProjectSentences()];
	const both = trainBoth(rows, readNhs('train.csv'));
	return {
		about:
			'npm run safeguarding:model -- train: tests/fixtures/safeguarding/eval/tuning.csv + tuning-2.csv + tuning-3.csv + tuning-4.csv + tuning-5.csv + tuning-6.csv, sentences.json (dev, heldout, heldout2), NHS feedback train.csv as negatives; disclosure model: text n-grams + screen signals; urgent model (urgent disclosures = 1): screen signals only',
		thresholds: THRESHOLDS,
		...both.disclosure,
		urgentModel: both.urgent
	};
}

/** One value as Prettier writes it (flat objects as `{ "a": 1 }`), so the file passes `prettier --check` as written. */
const inline = (v: unknown): string =>
	v !== null && typeof v === 'object' && !Array.isArray(v)
		? `{ ${Object.entries(v)
				.map(([k, x]) => `${JSON.stringify(k)}: ${inline(x)}`)
				.join(', ')} }`
		: Array.isArray(v)
			? `[${v.map(inline).join(', ')}]`
			: JSON.stringify(v);

/** An object's text: one weight a line, so a retrained file diffs readably. */
const block = (o: object, indent: string): string =>
	'{\n' +
	Object.entries(o)
		.map(([k, v]) =>
			k === 'weights'
				? `${indent}\t"weights": [\n${(v as [number, number][]).map((w) => `${indent}\t\t${inline(w)}`).join(',\n')}\n${indent}\t]`
				: k === 'urgentModel'
					? `${indent}\t${JSON.stringify(k)}: ${block(v as object, indent + '\t')}`
					: `${indent}\t${JSON.stringify(k)}: ${inline(v)}`
		)
		.join(',\n') +
	`\n${indent}}`;

/** The weights file's text (see block). */
export const serialise = (f: ModelFile): string => block(f, '') + '\n';

const pct = (a: number, b: number) => `${b ? ((100 * a) / b).toFixed(1) : '–'}% (${a}/${b})`;

/** The bench's figures for one part, with a given model (null: the lexicon screen alone). */
function figures(rows: readonly EvalRow[], nhsTest: readonly string[], model: ScreenModel | null): string[] {
	const res = rows.map((r) => ({ r, s: screenAnswerWith(r.text, model) }));
	const disc = res.filter((x) => x.r.label === 'disclosure');
	const urgent = disc.filter((x) => x.r.level === 'urgent');
	const hard = res.filter((x) => x.r.label === 'none' && x.r.kind.startsWith('hard'));
	const plain = res.filter((x) => x.r.label === 'none' && !x.r.kind.startsWith('hard'));
	const nhs = nhsTest.map((t) => screenAnswerWith(t, model));
	// Ordering as the bench does it (2% prevalence, first 10%), in batches: NHS test.csv holds 49 answers
	// for each of 23 disclosures at a time.
	const per = Math.floor(nhs.length / 49);
	let inTop = 0;
	let n = 0;
	for (let b = 0; b + per <= disc.length; b += per) {
		const pool = [
			...nhs.slice(0, per * 49).map((x) => ({ s: x.score, d: 0 })),
			...disc.slice(b, b + per).map((x) => ({ s: x.s.score, d: 1 }))
		].sort((x, y) => y.s - x.s || x.d - y.d);
		inTop += pool.slice(0, Math.ceil(pool.length / 10)).filter((x) => x.d).length;
		n += per;
	}
	const kinds = [...new Set(disc.map((x) => x.r.kind))].sort();
	return [
		`flag recall ${pct(disc.filter((x) => x.s.level).length, disc.length)}`,
		`urgent flagged urgent ${pct(urgent.filter((x) => x.s.level === 'urgent').length, urgent.length)}`,
		`urgent not flagged ${urgent.filter((x) => !x.s.level).length}`,
		`review items flagged urgent ${pct(
			disc.filter((x) => x.r.level === 'review' && x.s.level === 'urgent').length,
			disc.filter((x) => x.r.level === 'review').length
		)}`,
		`hard negatives flagged ${pct(hard.filter((x) => x.s.level).length, hard.length)}`,
		`plain negatives flagged ${pct(plain.filter((x) => x.s.level).length, plain.length)}`,
		`NHS test.csv flagged ${pct(nhs.filter((x) => x.level).length, nhs.length)}`,
		`ordering (2% among NHS test.csv, first 10%) ${pct(inTop, n)}`,
		`recall per kind: ${kinds
			.map((k) => {
				const d = disc.filter((x) => x.r.kind === k);
				return `${k} ${d.filter((x) => x.s.level).length}/${d.length}`;
			})
			.join(', ')}`
	];
}

function cross(thresholdSets: (typeof THRESHOLDS)[], log: (s: string) => void): void {
	const sets = Object.entries(WRITERS).map(([name, f]) => ({ name, f, rows: readEval(path.join(evalDir, f)) }));
	const nhsTrain = readNhs('train.csv');
	const nhsTest = readNhs('test.csv');
	const project = readProjectSentences();
	// Leave one writer out: the model never saw the scored writer's rows, so these are the honest estimate
	// of how the model does on a writer it has not met (the lexicon was still looked at on all three).
	for (const left of sets) {
		const train = sets.filter((s) => s !== left).flatMap((s) => s.rows);
		const both = trainBoth([...train, ...project], nhsTrain);
		const probability = probabilityFor(both.disclosure);
		const urgentProbability = probabilityFor(both.urgent, { text: false });
		log(
			`${left.name} writer (${left.f}, ${left.rows.length} rows) left out; trained on ${sets
				.filter((s) => s !== left)
				.map((s) => s.f)
				.join(' + ')}:`
		);
		log(`  lexicon screen alone: ${figures(left.rows, nhsTest, null).join('; ')}`);
		for (const t of thresholdSets)
			log(
				`  with the models (review ≥ ${t.review}, urgent ≥ ${t.urgent}, raise to urgent ≥ ${t.raiseToUrgent}, model-only flag urgent ≥ ${t.raiseModelOnly}): ${figures(left.rows, nhsTest, { probability, urgentProbability, ...t }).join('; ')}`
			);
	}
}

const main = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
const command = main ? process.argv[2] : undefined;
if (command === 'train') {
	fs.writeFileSync(WEIGHTS_FILE, serialise(buildWeightsFile()));
	console.log(`wrote ${path.relative(root, WEIGHTS_FILE)}`);
} else if (command === 'cross') cross([THRESHOLDS], console.log);
else if (command === 'sweep')
	cross(
		[0.5, 0.55, 0.6, 0.65, 0.7, 0.8].flatMap((review) =>
			[0.5, 0.6, 0.7, 1.01].map((raiseToUrgent) => ({ review, urgent: 0.9, raiseToUrgent, raiseModelOnly: 0.7 }))
		),
		console.log
	);
else if (main) {
	console.error('usage: npm run safeguarding:model -- train | cross | sweep');
	process.exit(2);
}
