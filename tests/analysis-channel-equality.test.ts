/**
 * The equality tables under a channel filter from the kept table analysis_agg_group_set_channel_equality
 * (migration 2026-12-09-0300, issue #19) instead of the submissions: the equality combinations, each equality
 * answer's counts and the district / channel × equality cross-tabs must be those of the plain queries
 * (ANALYSIS_AGGREGATES=off) and of the old path (ANALYSIS_CHANNEL_EQUALITY=off), with a channel filter alone and with
 * group and district filters, on both engines; and they must follow a submission's edit of its channel and its
 * deletion (the triggers, in the same transaction). tests/analysis-aggregates.test.ts checks that the kept table
 * equals the rebuilt one after random writes.
 */
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachEngine } from './helpers/databases';
import { demoLikeSuite } from './helpers/demo-like';
import { scopeReaders } from './helpers/scope-readers';
import { aggEqualityCombinations, aggEqualityMargins } from '../src/lib/server/analysis/aggregates';
import { equalitySummary } from '../src/lib/server/analysis/queries';
import { viewTables } from './fixtures/analysis/demo-like';
import { scopeOf } from '../src/lib/server/analysis/scope';
import { parseFilters } from '../src/lib/analysis/filters';
import type { Dimension } from '../src/lib/analysis/dimensions';

const PAIRS: [Dimension, Dimension][] = [
	['district', 'disability'],
	['age', 'district'],
	['channel', 'gender'],
	['ethnicity', 'channel'],
	['age', 'orientation']
];

describeEachEngine('equality tables under a channel filter', (engine) => {
	const data = demoLikeSuite(engine, {
		env: { ANALYSIS_CACHE: 'off' },
		restore: ['ANALYSIS_CHANNEL_EQUALITY', 'ANALYSIS_AGGREGATES', 'ANALYSIS_EQUALITY_MARGINS', 'ANALYSIS_KEPT_MARGINS']
	});
	const readers = async (qs: string, env: Record<string, string>) => {
		Object.assign(process.env, {
			ANALYSIS_CHANNEL_EQUALITY: 'on',
			ANALYSIS_AGGREGATES: 'on',
			ANALYSIS_EQUALITY_MARGINS: 'on',
			...env
		});
		return scopeReaders(data.fresh.db, data.fx.c, qs, PAIRS);
	};
	const filters = () => {
		const g = data.fx.c.groups[0].code;
		const d = data.fx.c.districts[0].code;
		return [
			'channel=online',
			'channel=library',
			'channel=face-to-face',
			'channel=school',
			`channel=online&group=${g}`,
			`channel=library&district=${d}`,
			`channel=online&group=${g}&district=${d}`,
			'channel=online&group=unknown',
			`channel=online&group=${g}&min=5`,
			`district=${d}&min=5`
		];
	};

	it('counts as the submissions do', async () => {
		let rows = 0;
		for (const qs of filters()) {
			process.env.ANALYSIS_CHANNEL_EQUALITY = 'on';
			// The kept table answers these scopes.
			const s = scopeOf(data.fx.c, parseFilters(new URLSearchParams(qs)));
			expect(await aggEqualityCombinations(data.fresh.db, s), qs).not.toBeNull();
			const fast = await readers(qs, {});
			expect(fast, qs).toEqual(await readers(qs, { ANALYSIS_AGGREGATES: 'off' }));
			expect(fast, qs).toEqual(await readers(qs, { ANALYSIS_CHANNEL_EQUALITY: 'off' }));
			rows += (fast.equality as string[]).length + (fast['district×disability'] as { rows: string[] }).rows.length;
		}
		// Not a comparison of empty tables.
		expect(rows).toBeGreaterThan(60);
	}, 300_000);

	it('follows a submission moved to another channel and one deleted', async () => {
		const db = data.fresh.db;
		const [a, b] = await db
			.selectFrom('submission')
			.where('consultation_id', '=', data.fx.c.id)
			.where('channel', '=', 'online')
			.where('eq_disability', 'is not', null)
			.select('id')
			.orderBy('id')
			.limit(2)
			.execute();
		await sql`update submission set channel = 'school' where id = ${a.id}`.execute(db);
		await db.deleteFrom('submission').where('id', '=', b.id).execute();
		for (const qs of ['channel=school', 'channel=online', 'channel=face-to-face'])
			expect(await readers(qs, {}), qs).toEqual(await readers(qs, { ANALYSIS_AGGREGATES: 'off' }));
		const school = await readers('channel=school', {});
		expect((school.equality as string[]).length).toBeGreaterThan(0);
	}, 120_000);

	// The dashboard's equality tables and headline read each field's margin, kept by triggers (migration
	// 2026-12-11-0600) or summed in SQL from the five-way combinations (ANALYSIS_KEPT_MARGINS=off), not the
	// combinations summed here: the same counts, and the same tables on a page.
	const summary = async (qs: string, env: Record<string, string>) => {
		Object.assign(process.env, {
			ANALYSIS_AGGREGATES: 'on',
			ANALYSIS_CHANNEL_EQUALITY: 'on',
			ANALYSIS_EQUALITY_MARGINS: 'on',
			ANALYSIS_KEPT_MARGINS: 'on',
			...env
		});
		const r = await equalitySummary(data.fresh.db, scopeOf(data.fx.c, parseFilters(new URLSearchParams(qs))));
		return {
			completed: r.completed,
			margins: Object.fromEntries(Object.entries(r.margins).map(([f, m]) => [f, [...m].sort()]))
		};
	};

	it('sums the equality margins in SQL as the combinations give them', async () => {
		let values = 0;
		for (const qs of ['', 'question=q1', ...filters()]) {
			Object.assign(process.env, {
				ANALYSIS_AGGREGATES: 'on',
				ANALYSIS_CHANNEL_EQUALITY: 'on',
				ANALYSIS_EQUALITY_MARGINS: 'on'
			});
			const s = scopeOf(data.fx.c, parseFilters(new URLSearchParams(qs)));
			// The SQL margins answer every scope but a question's.
			expect((await aggEqualityMargins(data.fresh.db, s)) === null, qs).toBe(qs === 'question=q1');
			const fast = await summary(qs, {});
			expect(fast, qs).toEqual(await summary(qs, { ANALYSIS_KEPT_MARGINS: 'off' }));
			expect(fast, qs).toEqual(await summary(qs, { ANALYSIS_EQUALITY_MARGINS: 'off' }));
			expect(fast, qs).toEqual(await summary(qs, { ANALYSIS_AGGREGATES: 'off' }));
			values += Object.values(fast.margins).reduce((t, m) => t + m.length, 0);
			if (qs === '') expect(fast.completed).toBeGreaterThan(0);
		}
		expect(values).toBeGreaterThan(100);
	}, 300_000);

	it('shows the same tables with the margins from SQL', async () => {
		const g = data.fx.c.groups[0].code;
		const d = data.fx.c.districts[0].code;
		for (const qs of [`group=${g}&district=${d}`, `group=${g}&channel=online`]) {
			const page = async (on: boolean) => {
				Object.assign(process.env, { ANALYSIS_AGGREGATES: 'on', ANALYSIS_CHANNEL_EQUALITY: 'on' });
				process.env.ANALYSIS_EQUALITY_MARGINS = on ? 'on' : 'off';
				process.env.ANALYSIS_KEPT_MARGINS = on ? 'on' : 'off';
				const tables = await viewTables(data.fresh.db, data.fx, parseFilters(new URLSearchParams(qs)), []);
				return tables.map((t) => JSON.stringify(t));
			};
			expect(await page(true), qs).toEqual(await page(false));
		}
	}, 600_000);

	it('keeps the margins through edits of a submission and of its respondent types', async () => {
		const db = data.fresh.db;
		const g = data.fx.c.groups[0].code;
		const d = data.fx.c.districts[0].code;
		const [a, b, c] = await db
			.selectFrom('submission')
			.where('consultation_id', '=', data.fx.c.id)
			.where('district_code', '=', d)
			.select(['id', 'eq_gender'])
			.orderBy('id')
			.limit(3)
			.execute();
		// An equality answer changed, a district moved, a respondent type added (its group set changes).
		await sql`update submission set eq_gender = ${a.eq_gender === 'not_asked' ? 'woman' : 'not_asked'},
			eq_age_band = 'not_asked', eq_disability = 'not_asked', eq_ethnicity = 'not_asked',
			eq_sexual_orientation = 'not_asked' where id = ${a.id}`.execute(db);
		await sql`update submission set district_code = null where id = ${b.id}`.execute(db);
		await db
			.insertInto('perspective')
			.values({ submission_id: c.id, group_code: data.fx.c.groups.at(-1)!.code, position: 99 })
			.execute();
		let values = 0;
		for (const qs of ['', `district=${d}`, 'district=unknown', `group=${g}`, `group=${g}&district=${d}&min=5`]) {
			const kept = await summary(qs, {});
			expect(kept, qs).toEqual(await summary(qs, { ANALYSIS_KEPT_MARGINS: 'off' }));
			expect(kept, qs).toEqual(await summary(qs, { ANALYSIS_AGGREGATES: 'off' }));
			values += Object.values(kept.margins).reduce((t, m) => t + m.length, 0);
		}
		expect(values).toBeGreaterThan(50);
	}, 120_000);
});
