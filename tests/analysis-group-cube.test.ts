/**
 * Perspective-level tables from the group sets (aggregates.ts aggGroupSetCube, issue #19): a group by
 * location or week, and the respondent types under a date filter, which the perspective table cannot give,
 * are summed from analysis_agg_group_set instead of a pass over the perspectives joined to the submissions.
 * The counts, and every table a group-filtered page shows, must be those of the query on the perspectives
 * (ANALYSIS_GROUP_CUBE=off), on both engines on demo-like data; and once a submission answers twice as one
 * respondent type (the sets then undercount) the cube must step aside.
 */
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, type FreshDb } from './helpers/databases';
import { demoLikeDatabase } from './helpers/demo-like';
import type { Fixture } from './fixtures/analysis/small';
import { crossCounts, countPerspectives, perspectivesByGroup } from '../src/lib/server/analysis/queries';
import { aggGroupSetCube } from '../src/lib/server/analysis/aggregates';
import { dashboardTables } from '../src/lib/server/analysis/registry';
import { crossTabTable } from '../src/lib/server/analysis/dashboard';
import { scopeOf } from '../src/lib/server/analysis/scope';
import { parseFilters } from '../src/lib/analysis/filters';
import type { Dimension } from '../src/lib/analysis/dimensions';

const PAIRS: [Dimension, Dimension][] = [
	['group', 'location'],
	['location', 'group'],
	['group', 'week'],
	['group', 'district'],
	['channel', 'group'],
	['group', 'group']
];

describeEachEngine('perspective tables from the group sets', (engine) => {
	let fresh: FreshDb;
	let fx: Fixture;
	let filters: string[];
	const cache = process.env.ANALYSIS_CACHE;
	beforeAll(async () => {
		process.env.ANALYSIS_CACHE = 'off';
		({ fresh, fx } = await demoLikeDatabase(engine));
		// Respondents of no known type too (as face-to-face entry records them): a perspective with no type on a few
		// submissions that have none yet.
		const some = await fresh.db
			.selectFrom('submission')
			.where('consultation_id', '=', fx.c.id)
			.select('id')
			.orderBy('id')
			.limit(5)
			.execute();
		for (const { id } of some)
			await sql`insert into perspective (submission_id, group_code, position)
				select ${id}, null, max(position) + 1 from perspective where submission_id = ${id}
				and not exists (select 1 from perspective x where x.submission_id = ${id} and x.group_code is null)`.execute(fresh.db);
		const g = fx.c.groups[0].code;
		const d = fx.c.districts[0].code;
		const days = await fresh.db
			.selectFrom('submission')
			.select((e) => [e.fn.min('created_at').as('first'), e.fn.max('created_at').as('last')])
			.executeTakeFirstOrThrow();
		const from = String(days.first).slice(0, 10);
		// A date range that cuts the data (its first half, roughly).
		const mid = new Date((Date.parse(String(days.first)) + Date.parse(String(days.last))) / 2).toISOString();
		filters = [
			'',
			`group=${g}`,
			`group=${g}&district=${d}`,
			`group=${g}&channel=online`,
			'group=unknown',
			`from=${from}&to=${mid.slice(0, 10)}`,
			`group=${g}&from=${from}&to=${mid.slice(0, 10)}`
		];
	}, 120_000);
	afterEach(() => {
		delete process.env.ANALYSIS_GROUP_CUBE;
	});
	afterAll(async () => {
		if (cache === undefined) delete process.env.ANALYSIS_CACHE;
		else process.env.ANALYSIS_CACHE = cache;
		await fresh?.drop();
	});

	const scope = (qs: string) => scopeOf(fx.c, parseFilters(new URLSearchParams(qs)));
	const sorted = (rows: { a: string | null; b: string | null; n: number }[]) =>
		rows.map((r) => `${r.a}|${r.b}|${r.n}`).sort();
	async function counts(qs: string, cube: boolean) {
		process.env.ANALYSIS_GROUP_CUBE = cube ? 'on' : 'off';
		const out: Record<string, unknown> = {};
		for (const [a, b] of PAIRS) {
			const r = await crossCounts(fresh.db, scope(qs), a, b);
			out[`${a}×${b}`] = { level: r.level, rows: sorted(r.rows) };
		}
		out.perspectives = await countPerspectives(fresh.db, scope(qs));
		out.byGroup = (await perspectivesByGroup(fresh.db, scope(qs))).map((r) => `${r.key}|${r.n}`).sort();
		return out;
	}

	it('counts as the perspectives do, under group, district, channel and date filters', async () => {
		let cells = 0;
		for (const qs of filters) {
			process.env.ANALYSIS_GROUP_CUBE = 'on';
			// The sets answer these scopes (no question or theme filter, every submission one perspective per type).
			expect(await aggGroupSetCube(fresh.db, scope(qs)), qs).not.toBeNull();
			const fromSets = await counts(qs, true);
			const fromRows = await counts(qs, false);
			expect(fromSets, qs).toEqual(fromRows);
			for (const [a, b] of PAIRS) cells += (fromRows[`${a}×${b}`] as { rows: string[] }).rows.length;
		}
		// Not a comparison of empty lists.
		expect(cells).toBeGreaterThan(200);
	}, 120_000);

	it('shows the same tables on a group-filtered page', async () => {
		const g = fx.c.groups[0].code;
		for (const qs of [`group=${g}`]) {
			const page = async (cube: boolean) => {
				process.env.ANALYSIS_GROUP_CUBE = cube ? 'on' : 'off';
				const f = parseFilters(new URLSearchParams(qs));
				const s = scopeOf(fx.c, f);
				const tables = await dashboardTables(fresh.db, fx.c, f, '/b', s);
				tables.push(await crossTabTable(fresh.db, fx.c, s, 'group', 'location', 'row'));
				tables.push(await crossTabTable(fresh.db, fx.c, s, 'week', 'group', 'none'));
				return tables.map((t) => JSON.stringify(t));
			};
			expect(await page(true), qs).toEqual(await page(false));
		}
	}, 300_000);

	it('steps aside once a submission answers twice as one respondent type', async () => {
		// A second perspective of the same type on one submission: its set still holds the type once.
		const p = await fresh.db
			.selectFrom('perspective')
			.innerJoin('submission', 'submission.id', 'perspective.submission_id')
			.where('submission.consultation_id', '=', fx.c.id)
			.where('perspective.group_code', 'is not', null)
			.select(['perspective.submission_id', 'perspective.group_code'])
			.executeTakeFirstOrThrow();
		await sql`insert into perspective (submission_id, group_code, position)
			select ${p.submission_id}, ${p.group_code}, max(position) + 1 from perspective where submission_id = ${p.submission_id}`.execute(
			fresh.db
		);
		process.env.ANALYSIS_GROUP_CUBE = 'on';
		expect(await aggGroupSetCube(fresh.db, scope(''))).toBeNull();
		for (const qs of ['', `group=${p.group_code}`]) expect(await counts(qs, true), qs).toEqual(await counts(qs, false));
	}, 120_000);
});
