/**
 * A well-formed filter code the consultation does not have (an old link, `group=young-person` for `young_person`)
 * is dropped like a malformed one: the officer sees the figures without that filter, not zeros labelled "filtered".
 */
import { describe, expect, it } from 'vitest';
import { parseFilters } from '../src/lib/analysis/filters';
import { knownCodesOnly } from '../src/lib/server/analysis/scope';

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
