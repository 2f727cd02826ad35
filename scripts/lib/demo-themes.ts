/**
 * The Worcestershire demo answers coded with the shipped codebooks, as the app codes them before
 * anyone has coded by hand (the codebook-only coder): used by `npm run bench -- themes-demo` and
 * tests/demo-themes.test.ts.
 * - invariance: the five self-descriptions prefixed to every demo answer, coded again with the
 *   same model; the share of answers whose themes change (target ≤ 1%);
 * - tick tables per question and respondent group under the default tick rule, beside the seed
 *   report's (Worcestershire Cabinet, 20 July 2017, paragraph 14).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseCodebook, trainCoder, codeAnswers, type Codebook, type Coder } from '../../src/lib/themes/index';
import { planDemo } from '../../src/lib/server/demo/generate';
import { DEFAULT_TICK_RULE, ranks, ticked } from '../../src/lib/analysis/tables';
import { SHIPPED_CODEBOOK_DIR } from '../../src/lib/domain/shipped-consultation';

export const CODEBOOK_DIR = SHIPPED_CODEBOOK_DIR;
export const QUESTIONS = ['q1', 'q2', 'q3', 'q4', 'q5'] as const;
export const PREFIXES = [
	'As a parent, ',
	"I'm a mum of two and ",
	'Speaking as a youth worker, ',
	'As a foster carer, ',
	'As a teacher, '
];
export const GROUPS = ['child', 'young_person', 'parent_carer', 'practitioner', 'other'] as const;

export function loadCodebook(q: string): Codebook {
	return parseCodebook(fs.readFileSync(path.join(CODEBOOK_DIR, `${q}.json`), 'utf8'));
}

export interface DemoAnswer {
	id: string;
	question: string;
	group: string | null;
	text: string;
}

/** Every demo answer (online and face to face), with the group it was given as. */
export function demoAnswers(seed = 2017): DemoAnswer[] {
	const out: DemoAnswer[] = [];
	for (const s of planDemo(seed).submissions) {
		s.input.perspectives.forEach((p, pi) => {
			for (const [q, text] of Object.entries(p.answers ?? {})) {
				if (typeof text === 'string' && text.trim())
					out.push({ id: `${s.input.id}:${pi}:${q}`, question: q, group: p.group ?? null, text });
			}
		});
	}
	return out;
}

export interface InvarianceResult {
	question: string;
	answers: number;
	changed: number;
	examples: { text: string; before: string[]; after: string[] }[];
}

const key = (themes: { id: string }[]) =>
	themes
		.map((t) => t.id)
		.sort()
		.join(';');

/** Codes each question's answers with and without each prefix, with the same codebook-only model. */
export function invariance(answers: DemoAnswer[], coders: Map<string, Coder>): InvarianceResult[] {
	return QUESTIONS.map((q) => {
		const coder = coders.get(q)!;
		const mine = answers.filter((a) => a.question === q);
		const base = codeAnswers(
			coder,
			mine.map((a) => ({ id: a.id, text: a.text }))
		);
		let changed = 0;
		const examples: InvarianceResult['examples'] = [];
		for (const prefix of PREFIXES) {
			const again = codeAnswers(
				coder,
				mine.map((a) => ({ id: a.id, text: prefix + a.text.charAt(0).toLowerCase() + a.text.slice(1) }))
			);
			again.forEach((r, i) => {
				if (key(r.themes) !== key(base[i].themes)) {
					changed++;
					if (examples.length < 5)
						examples.push({
							text: prefix + mine[i].text,
							before: base[i].themes.map((t) => t.id),
							after: r.themes.map((t) => t.id)
						});
				}
			});
		}
		return { question: q, answers: mine.length * PREFIXES.length, changed, examples };
	});
}

export interface TickTable {
	question: string;
	themes: { id: string; label: string }[];
	groups: string[];
	groupAnswers: number[];
	/** counts[theme][group] */
	counts: number[][];
	ticks: boolean[][];
	uncoded: number[];
}

export function tickTables(
	answers: DemoAnswer[],
	coders: Map<string, Coder>,
	codebooks: Map<string, Codebook>
): TickTable[] {
	return QUESTIONS.map((q) => {
		const cb = codebooks.get(q)!;
		const mine = answers.filter((a) => a.question === q && a.group);
		const coded = codeAnswers(
			coders.get(q)!,
			mine.map((a) => ({ id: a.id, text: a.text }))
		);
		const groups = [...GROUPS];
		const groupAnswers = groups.map((g) => mine.filter((a) => a.group === g).length);
		const counts = cb.themes.map(() => groups.map(() => 0));
		const uncoded = groups.map(() => 0);
		coded.forEach((r, i) => {
			const gi = groups.indexOf(mine[i].group as (typeof GROUPS)[number]);
			if (r.themes.length === 0) uncoded[gi]++;
			for (const t of r.themes) counts[cb.themes.findIndex((x) => x.id === t.id)][gi]++;
		});
		const ticks = cb.themes.map(() => groups.map(() => false));
		groups.forEach((_, gi) => {
			const col = counts.map((row) => row[gi]);
			const rk = ranks(col);
			col.forEach((n, ti) => (ticks[ti][gi] = ticked(n, rk[ti], groupAnswers[gi], DEFAULT_TICK_RULE)));
		});
		return {
			question: q,
			themes: cb.themes.map((t) => ({ id: t.id, label: t.label })),
			groups,
			groupAnswers,
			counts,
			ticks,
			uncoded
		};
	});
}

/** The seed report's tick tables (paragraph 14): theme ids of the shipped codebooks ticked per group. */
export const SEED_TICKS: Record<string, Record<string, string[]>> = {
	q1: {
		child: ['family', 'friends', 'pets', 'sports-activity'],
		young_person: ['family', 'friends', 'education', 'employment', 'safety', 'activities'],
		parent_carer: ['sports-activity', 'education', 'employment', 'safety', 'activities', 'support-services'],
		practitioner: ['sports-activity', 'education', 'employment', 'safety', 'activities', 'support-services']
	},
	q2: {
		child: ['education-pressure', 'getting-along', 'lack-of-activities'],
		young_person: ['education-pressure', 'getting-along', 'mental-health', 'lack-of-activities'],
		parent_carer: [
			'education-pressure',
			'nowhere-safe-to-go',
			'getting-along',
			'service-cuts',
			'mental-health',
			'lack-of-activities',
			'social-media-bullying'
		],
		practitioner: [
			'education-pressure',
			'nowhere-safe-to-go',
			'getting-along',
			'service-cuts',
			'mental-health',
			'lack-of-activities',
			'social-media-bullying'
		]
	},
	q3: {
		child: ['affordable-activities', 'time-friends-family', 'less-bullying-more-friends'],
		young_person: ['affordable-activities', 'less-bullying-more-friends']
	}
};

export function setup(): { coders: Map<string, Coder>; codebooks: Map<string, Codebook> } {
	const codebooks = new Map(QUESTIONS.map((q) => [q, loadCodebook(q)]));
	const coders = new Map(QUESTIONS.map((q) => [q, trainCoder(codebooks.get(q)!)]));
	return { coders, codebooks };
}

const pctText = (n: number, d: number) => (d ? `${Math.round((100 * n) / d)}%` : '–');

/** The tick tables as text, each tick with its count and share, and the seed's tick beside it. */
export function formatTickTables(tables: TickTable[]): string[] {
	const lines: string[] = [];
	for (const t of tables) {
		lines.push(
			`${t.question.toUpperCase()} — groups: ${t.groups.map((g, i) => `${g} ${t.groupAnswers[i]}`).join(', ')} answers; "S" = ticked in the seed report`
		);
		t.themes.forEach((th, ti) => {
			const cells = t.groups.map((g, gi) => {
				const seed = SEED_TICKS[t.question]?.[g];
				const s = seed ? (seed.includes(th.id) ? 'S' : '·') : ' ';
				return `${t.ticks[ti][gi] ? '✓' : ' '}${s} ${String(t.counts[ti][gi]).padStart(4)} ${pctText(t.counts[ti][gi], t.groupAnswers[gi]).padStart(4)}`;
			});
			lines.push(`  ${th.id.padEnd(28)} ${cells.join(' | ')}`);
		});
		lines.push(
			`  ${'(no theme)'.padEnd(28)} ${t.groups.map((_, gi) => `   ${String(t.uncoded[gi]).padStart(4)} ${pctText(t.uncoded[gi], t.groupAnswers[gi]).padStart(4)}`).join(' | ')}`
		);
	}
	return lines;
}

/** Agreement of the ticks with the seed's (groups and questions the seed reports). */
export function seedAgreement(tables: TickTable[]): {
	agree: number;
	total: number;
	missed: string[];
	extra: string[];
} {
	let agree = 0;
	let total = 0;
	const missed: string[] = [];
	const extra: string[] = [];
	for (const t of tables) {
		const seed = SEED_TICKS[t.question];
		if (!seed) continue;
		for (const [g, ids] of Object.entries(seed)) {
			const gi = t.groups.indexOf(g as (typeof GROUPS)[number]);
			t.themes.forEach((th, ti) => {
				// the seed lists only the themes in its table: compare on those
				const inSeedTable = Object.values(seed).some((l) => l.includes(th.id));
				if (!inSeedTable) return;
				total++;
				const want = ids.includes(th.id);
				const got = t.ticks[ti][gi];
				if (want === got) agree++;
				else (want ? missed : extra).push(`${t.question}/${g}/${th.id}`);
			});
		}
	}
	return { agree, total, missed, extra };
}
