/**
 * Every table a filtered scope's readers give (counts, the submission and perspective cubes, equality combinations,
 * answers per question and the cross-counts of `pairs`), rows sorted, so that two ways of reading one scope (aggregates
 * on or off, one pass or separate passes...) can be compared whole with toEqual. The caller sets the switches in
 * process.env before calling.
 */
import type { Db } from '../../src/lib/server/db/connect';
import {
	answersByQuestion,
	countPerspectives,
	countSubmissions,
	crossCounts,
	equalityCombinations,
	perspectivesByGroup,
	submissionsBy,
	submissionsByDayAndChannel
} from '../../src/lib/server/analysis/queries';
import { scopeOf } from '../../src/lib/server/analysis/scope';
import { parseFilters } from '../../src/lib/analysis/filters';
import type { Dimension } from '../../src/lib/analysis/dimensions';
import type { Fixture } from '../fixtures/analysis/small';

const sorted = <T>(rows: T[]) => rows.map((r) => JSON.stringify(r)).sort();

export async function scopeReaders(
	db: Db,
	c: Fixture['c'],
	qs: string,
	pairs: [Dimension, Dimension][]
): Promise<Record<string, unknown>> {
	const s = scopeOf(c, parseFilters(new URLSearchParams(qs)));
	const out: Record<string, unknown> = {
		submissions: await countSubmissions(db, s),
		perspectives: await countPerspectives(db, s),
		districts: sorted(await submissionsBy(db, s, 'district_code')),
		channels: sorted(await submissionsBy(db, s, 'channel')),
		locations: sorted(await submissionsBy(db, s, 'location_id')),
		days: sorted(await submissionsByDayAndChannel(db, s)),
		groups: sorted(await perspectivesByGroup(db, s)),
		equality: sorted(await equalityCombinations(db, s)),
		answers: sorted(await answersByQuestion(db, s))
	};
	for (const [a, b] of pairs) {
		const r = await crossCounts(db, s, a, b);
		out[`${a}×${b}`] = { level: r.level, rows: sorted(r.rows) };
	}
	return out;
}
