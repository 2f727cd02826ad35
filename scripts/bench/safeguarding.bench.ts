// Safeguarding screen (issue #10 targets), on the independent evaluation set in
// tests/fixtures/safeguarding/eval/ (tuning.csv … tuning-10.csv: ten writers' sets, looked at while tuning and
// trained on by the built-in models; each was sealed once and opened after its one scoring, the first two on
// 30 Nov 2026, the third to eighth on 1 Dec 2026, the ninth and tenth on 2 Dec 2026; sealed.csv: a new independent set added by the merger,
// read only here; the bench says plainly "no sealed set" when it is absent)
// and the NHS feedback answers (real text with almost no disclosures):
//   flag recall, urgent items flagged urgent, urgent items not flagged, hard / plain negatives flagged,
//   per-kind recall; NHS share flagged; ordering (disclosures mixed into the NHS answers at 2%
//   prevalence: share of disclosures in the first 10% by score); screening speed on one core.
// SAFEGUARDING_SEALED_CSV replaces the sealed part (to try the bench without opening the sealed part).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsv } from '../../src/lib/themes/csv';
import { screenAnswer, type ScreenResult } from '../../src/lib/safeguarding/index';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '../..');
const evalDir = path.join(root, 'tests/fixtures/safeguarding/eval');
const nhsDir = path.join(root, '../shared/data/nhs-feedback');

interface Row {
	id: string;
	text: string;
	label: 'disclosure' | 'none';
	level: string;
	kind: string;
}

function readEval(file: string): Row[] {
	return parseCsv(fs.readFileSync(file, 'utf8'), file, ['id', 'text', 'label', 'level', 'kind', 'voice']).map((r) => ({
		id: r.values.id,
		text: r.values.text,
		label: r.values.label === 'disclosure' ? 'disclosure' : 'none',
		level: r.values.level,
		kind: r.values.kind
	}));
}

function readNhs(): string[] {
	const out: string[] = [];
	for (const f of ['train.csv', 'test.csv']) {
		const file = path.join(nhsDir, f);
		if (!fs.existsSync(file)) continue;
		for (const r of parseCsv(fs.readFileSync(file, 'utf8'), file, ['text']))
			if (r.values.text.trim()) out.push(r.values.text);
	}
	return out;
}

const pct = (a: number, b: number) => `${b ? ((100 * a) / b).toFixed(1) : '–'}% (${a}/${b})`;

function cpuSeconds(start: NodeJS.CpuUsage): number {
	const u = process.cpuUsage(start);
	return (u.user + u.system) / 1e6;
}

function scorePart(name: string, rows: Row[], nhsScores: number[], log: (line: string) => void): void {
	const results = rows.map((r) => ({ row: r, res: screenAnswer(r.text) }));
	const disc = results.filter((x) => x.row.label === 'disclosure');
	const urgent = disc.filter((x) => x.row.level === 'urgent');
	const hard = results.filter((x) => x.row.label === 'none' && x.row.kind.startsWith('hard'));
	const plain = results.filter((x) => x.row.label === 'none' && !x.row.kind.startsWith('hard'));
	const flagged = (x: { res: ScreenResult }) => x.res.level !== null;
	log(
		`${name}: ${rows.length} answers (${disc.length} disclosures, ${urgent.length} urgent; ${hard.length} hard negatives, ${plain.length} plain)`
	);
	log(`  flag recall                      ${pct(disc.filter(flagged).length, disc.length)}   target ≥ 90%`);
	log(
		`  urgent items flagged urgent      ${pct(urgent.filter((x) => x.res.level === 'urgent').length, urgent.length)}   target ≥ 80%`
	);
	log(`  urgent items not flagged at all  ${urgent.filter((x) => !flagged(x)).length}   target 0`);
	log(`  hard negatives flagged           ${pct(hard.filter(flagged).length, hard.length)}   target ≤ 5%`);
	log(`  plain negatives flagged          ${pct(plain.filter(flagged).length, plain.length)}`);
	const kinds = [...new Set(disc.map((x) => x.row.kind))].sort();
	log(
		`  recall per kind: ${kinds
			.map((k) => {
				const d = disc.filter((x) => x.row.kind === k);
				return `${k} ${d.filter(flagged).length}/${d.length}`;
			})
			.join(', ')}`
	);
	const hardKinds = [...new Set(hard.map((x) => x.row.kind))].sort();
	log(
		`  hard negatives flagged per kind: ${hardKinds
			.map((k) => {
				const d = hard.filter((x) => x.row.kind === k);
				return `${k} ${d.filter(flagged).length}/${d.length}`;
			})
			.join(', ')}`
	);
	// Ordering: the disclosures at 2% prevalence among NHS answers (as many NHS answers as 49 per
	// disclosure; if there are too few, the first disclosures that fit). Ties go against the disclosures.
	const nDisc = Math.min(disc.length, Math.floor(nhsScores.length / 49));
	const nNhs = nDisc * 49;
	const pool = [
		...nhsScores.slice(0, nNhs).map((s) => ({ s, d: 0 })),
		...disc.slice(0, nDisc).map((x) => ({ s: x.res.score, d: 1 }))
	].sort((a, b) => b.s - a.s || a.d - b.d);
	const top = Math.ceil(pool.length / 10);
	const inTop = pool.slice(0, top).filter((x) => x.d).length;
	log(
		`  ordering: ${nDisc} disclosures among ${nNhs} NHS answers (2%): in the first 10% (${top}) ${pct(inTop, nDisc)}   target ≥ 95%`
	);
}

/**
 * Tuning data: the first writer's set (ids e…), the second's (ids s…, the sealed set until 30 Nov 2026), the
 * third's (ids t…, the sealed set until 1 Dec 2026), the fourth's (ids u…, the sealed set until 1 Dec 2026, 08:45 UTC),
 * the fifth's (ids v…, the sealed set until its one scoring on 1 Dec 2026, 10:08 UTC), the sixth's (ids w…, the
 * sealed set until its one scoring on 1 Dec 2026, 13:26 UTC), the seventh's (ids x…, the sealed set until its
 * one scoring on 1 Dec 2026, 16:33 UTC), the eighth's (ids y…, the sealed set until its one scoring on
 * 1 Dec 2026, 19:55 UTC), the ninth's (ids z…, the sealed set until its one scoring on 1 Dec 2026, 23:01 UTC) and the
 * tenth's (ids a…, the sealed set until its one scoring on 2 Dec 2026, 01:45 UTC).
 */
export const TUNING_FILES = [
	'tuning.csv',
	'tuning-2.csv',
	'tuning-3.csv',
	'tuning-4.csv',
	'tuning-5.csv',
	'tuning-6.csv',
	'tuning-7.csv',
	'tuning-8.csv',
	'tuning-9.csv',
	'tuning-10.csv'
];

/** The cross-check third of the tuning rows: a fixed hash of the id (FNV-1a), so the same rows every run. */
export function inHeldOutThird(id: string): boolean {
	let h = 0x811c9dc5;
	for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
	return h % 3 === 0;
}

export async function run(log: (line: string) => void): Promise<void> {
	const nhs = readNhs();
	const byWriter = TUNING_FILES.map((f) => ({ f, rows: readEval(path.join(evalDir, f)) }));
	const tuning = byWriter.flatMap((w) => w.rows);
	const sealedFile = process.env.SAFEGUARDING_SEALED_CSV ?? path.join(evalDir, 'sealed.csv');
	const sealed = fs.existsSync(sealedFile) ? readEval(sealedFile) : null;

	// NHS first: this is also the cold-cache speed measurement (words the process has not seen).
	let cpu = process.cpuUsage();
	let wall = performance.now();
	const nhsResults = nhs.map((t) => screenAnswer(t));
	const coldCpu = cpuSeconds(cpu);
	const coldWall = (performance.now() - wall) / 1000;
	const nhsFlagged = nhsResults.filter((r) => r.level).length;
	log(`NHS feedback (train + test): flagged ${pct(nhsFlagged, nhs.length)}   target ≤ 3%`);
	const nhsScores = nhsResults.map((r) => r.score);

	if (sealed)
		scorePart(
			process.env.SAFEGUARDING_SEALED_CSV
				? `sealed part REPLACED by ${process.env.SAFEGUARDING_SEALED_CSV}`
				: 'sealed part (never read while tuning)',
			sealed,
			nhsScores,
			log
		);
	else
		log(
			`no sealed set (${path.relative(root, sealedFile)} is absent): the figures below are tuning figures, not held out`
		);
	scorePart('TUNING data, all rows (tuned on; not held out)', tuning, nhsScores, log);
	for (const w of byWriter) scorePart(`TUNING data, ${w.f} only (tuned on; not held out)`, w.rows, nhsScores, log);
	scorePart(
		'TUNING data, two thirds changes were judged on (not held out)',
		tuning.filter((r) => !inHeldOutThird(r.id)),
		nhsScores,
		log
	);
	scorePart(
		'TUNING data, cross-check third (misses not looked at while tuning; still not a sealed set)',
		tuning.filter((r) => inHeldOutThird(r.id)),
		nhsScores,
		log
	);

	// Speed, one thread: NHS answers and evaluation answers, repeated until ~2 s of CPU time.
	const texts = [...nhs, ...tuning.map((r) => r.text), ...(sealed ?? []).map((r) => r.text)];
	let n = 0;
	cpu = process.cpuUsage();
	wall = performance.now();
	while (cpuSeconds(cpu) < 2 && n < 2_000_000) for (let i = 0; i < texts.length; i++, n++) screenAnswer(texts[i]);
	const warmCpu = cpuSeconds(cpu);
	const warmWall = (performance.now() - wall) / 1000;
	const avg = Math.round(texts.reduce((a, t) => a + t.length, 0) / texts.length);
	log(
		`speed (one thread, answers of ${avg} characters on average): first pass over ${nhs.length} unseen NHS answers ` +
			`${Math.round(nhs.length / coldCpu)}/s CPU (${Math.round(nhs.length / coldWall)}/s wall); ` +
			`steady ${Math.round(n / warmCpu)}/s CPU (${Math.round(n / warmWall)}/s wall) over ${n} answers   target ≥ 10,000/s`
	);
}
