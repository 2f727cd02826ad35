/**
 * A well-formed filter code the consultation does not have (an old link, `group=young-person` for `young_person`)
 * is dropped like a malformed one: the officer sees the figures without that filter, not zeros labelled "filtered".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFilters } from '../src/lib/analysis/filters';
import { analysisFilters, knownCodesOnly } from '../src/lib/server/analysis/scope';
import { getConsultation, type ConsultationView } from '../src/lib/server/consultations/queries';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { SLUG } from './helpers/consultation';

const consultation = {
	groups: [{ code: 'child' }, { code: 'young_person' }],
	districts: [{ code: 'bromsgrove' }, { code: 'wychavon' }],
	questions: [{ key: 'q1' }, { key: 'q2' }]
} as unknown as Parameters<typeof knownCodesOnly>[1];

const filtersOf = (qs: string) => knownCodesOnly(parseFilters(new URLSearchParams(qs)), consultation);

describe('analysis filters: codes the consultation does not have', () => {
	it('drops an unknown group, district, question or channel and keeps the rest', () => {
		expect(filtersOf('group=young-person&district=bromsgrove')).toEqual({ district: 'bromsgrove', min: 5 });
		expect(filtersOf('district=malvern&group=child')).toEqual({ group: 'child', min: 5 });
		expect(filtersOf('question=q9&channel=library')).toEqual({ channel: 'library', min: 5 });
		expect(filtersOf('channel=carrier-pigeon&question=q2')).toEqual({ question: 'q2', min: 5 });
	});

	it('keeps every code the consultation has, "unknown" and all face to face', () => {
		const all = 'group=young_person&district=unknown&question=q1&channel=face-to-face&theme=3&min=10';
		expect(filtersOf(all)).toEqual({
			group: 'young_person',
			district: 'unknown',
			question: 'q1',
			channel: 'face-to-face',
			theme: 3,
			min: 10
		});
		expect(filtersOf('group=unknown').group).toBe('unknown');
	});
});

describeEachEngine('analysis filters: a theme the consultation does not have', (engine) => {
	let fresh: FreshDb;
	let c: ConsultationView;
	let own: number;
	beforeAll(async () => {
		fresh = await preparedDatabase(engine);
		c = (await getConsultation(fresh.db, SLUG))!;
		const row = await fresh.db
			.selectFrom('theme')
			.select('id')
			.where(
				'question_id',
				'in',
				c.questions.map((q) => q.id)
			)
			.orderBy('id', 'desc')
			.executeTakeFirstOrThrow();
		own = Number(row.id);
	}, 120_000);
	afterAll(async () => {
		await fresh?.drop();
	});
	const filters = (qs: string) => analysisFilters(fresh.db, c, new URLSearchParams(qs));

	it("keeps one of its questions' themes", async () => {
		expect((await filters(`theme=${own}&group=child`)).theme).toBe(own);
	});

	it('drops a theme id that is no theme of its questions, keeping the other filters', async () => {
		const f = await filters(`theme=${own + 1000}&group=child`);
		expect(f.theme).toBeUndefined();
		expect(f.group).toBe('child');
	});

	it('drops every theme when the consultation has no questions to hold one', async () => {
		expect(
			(await analysisFilters(fresh.db, { ...c, questions: [] }, new URLSearchParams(`theme=${own}`))).theme
		).toBeUndefined();
	});
});
