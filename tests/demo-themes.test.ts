/**
 * Issue #12 on the Worcestershire demo data, with the shipped codebooks and the codebook-only
 * coder: self-descriptions do not change themes (target ≤ 1% of answers), children's answers are
 * not left without a theme more than adults', and parents are not credited with family for saying
 * they are parents. The figures are printed by `npm run bench -- themes-demo`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
	demoAnswers,
	invariance,
	setup,
	tickTables,
	type DemoAnswer,
	type TickTable
} from '../scripts/lib/demo-themes';
import type { Coder, Codebook } from '../src/lib/themes/index';

describe('themes on the Worcestershire demo answers', () => {
	let answers: DemoAnswer[];
	let coders: Map<string, Coder>;
	let codebooks: Map<string, Codebook>;
	let tables: TickTable[];
	beforeAll(() => {
		answers = demoAnswers();
		({ coders, codebooks } = setup());
		tables = tickTables(answers, coders, codebooks);
	});

	it('prefixing five self-descriptions to every answer changes the themes of at most 1%', () => {
		const inv = invariance(answers, coders);
		const changed = inv.reduce((s, r) => s + r.changed, 0);
		const total = inv.reduce((s, r) => s + r.answers, 0);
		expect(total).toBeGreaterThan(25_000);
		expect(changed / total).toBeLessThanOrEqual(0.01);
	});

	it('children and young people are left without a theme no more often than 2% in any question', () => {
		for (const t of tables)
			for (const g of ['child', 'young_person']) {
				const i = t.groups.indexOf(g as never);
				expect(
					t.uncoded[i] / t.groupAnswers[i],
					`${t.question} ${g}: ${t.uncoded[i]} of ${t.groupAnswers[i]}`
				).toBeLessThanOrEqual(0.02);
			}
	});

	it('parents who say "As a parent," get no family theme from it; q3 family time and family support are not the same answers', () => {
		for (const q of ['q1', 'q3', 'q4']) {
			const coder = coders.get(q)!;
			const parents = answers.filter(
				(a) => a.question === q && a.group === 'parent_carer' && /^As a parent, /.test(a.text)
			);
			expect(parents.length).toBeGreaterThan(10);
			for (const a of parents)
				expect(
					coder.code(a.text).map((t) => t.id),
					a.text
				).toEqual(coder.code(a.text.replace(/^As a parent, /, '')).map((t) => t.id));
		}
		const q3 = tables.find((t) => t.question === 'q3')!;
		const time = q3.themes.findIndex((t) => t.id === 'time-friends-family');
		const support = q3.themes.findIndex((t) => t.id === 'family-support');
		for (const g of ['parent_carer', 'practitioner', 'other']) {
			const i = q3.groups.indexOf(g as never);
			expect(q3.counts[time][i], g).not.toBe(q3.counts[support][i]);
		}
		// the seed: children, not adults, raise "more time with friends and family"
		const child = q3.groups.indexOf('child');
		const practitioner = q3.groups.indexOf('practitioner');
		expect(q3.ticks[time][child]).toBe(true);
		expect(q3.ticks[time][practitioner]).toBe(false);
	});

	it('q1 credits family to the children and young people who wrote about theirs, not to adults writing about family support or a stable home', () => {
		const q1 = tables.find((t) => t.question === 'q1')!;
		const family = q1.themes.findIndex((t) => t.id === 'family');
		for (const g of ['child', 'young_person']) expect(q1.ticks[family][q1.groups.indexOf(g as never)], g).toBe(true);
		for (const g of ['parent_carer', 'practitioner']) {
			const i = q1.groups.indexOf(g as never);
			expect(q1.ticks[family][i], g).toBe(false);
			expect(q1.counts[family][i] / q1.groupAnswers[i], g).toBeLessThan(0.02);
		}
		// what the adults' answers were about is still counted, under the codebook's themes for it
		for (const id of ['safety', 'support-services', 'activities']) {
			const t = q1.themes.findIndex((x) => x.id === id);
			expect(q1.ticks[t][q1.groups.indexOf('practitioner' as never)], id).toBe(true);
		}
	});
});
