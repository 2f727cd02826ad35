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
import { aggEqualityCombinations } from '../src/lib/server/analysis/aggregates';
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
		restore: ['ANALYSIS_CHANNEL_EQUALITY', 'ANALYSIS_AGGREGATES']
	});
	const readers = async (qs: string, env: Record<string, string>) => {
		Object.assign(process.env, { ANALYSIS_CHANNEL_EQUALITY: 'on', ANALYSIS_AGGREGATES: 'on', ...env });
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
});
