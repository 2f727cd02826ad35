import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { loadDemo } from '../src/lib/server/demo/load';

describeEachEngine('demo data', (engine) => {
	let fresh: FreshDb;
	beforeAll(async () => {
		fresh = await preparedDatabase(engine);
	});
	afterAll(() => fresh?.drop());

	// Two loads of about 2,600 submissions: 16 s on PostgreSQL alone on a quiet machine, over the default 60 s with
	// another file beside it at a load average near 18 (3 December).
	it('matches the seed report tallies and does not double when loaded twice', async () => {
		const first = await loadDemo(fresh.db);
		const second = await loadDemo(fresh.db);
		expect(first.created).toBeGreaterThan(2500);
		expect(second).toEqual({ created: 0, alreadyThere: first.created, sessions: first.sessions });

		const db = fresh.db;
		const submissions = await db
			.selectFrom('submission')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
		expect(Number(submissions.n)).toBe(first.created);

		const byChannel = await db
			.selectFrom('submission')
			.select(['channel', (eb) => eb.fn.countAll<number>().as('n')])
			.groupBy('channel')
			.execute();
		const channel = Object.fromEntries(byChannel.map((r) => [r.channel, Number(r.n)]));
		expect(channel.online).toBe(1144);
		expect(channel.library + channel.school + channel.event).toBe(1450);

		const byGroup = await db
			.selectFrom('perspective')
			.select(['group_code', (eb) => eb.fn.countAll<number>().as('n')])
			.groupBy('group_code')
			.execute();
		expect(Object.fromEntries(byGroup.map((r) => [r.group_code, Number(r.n)]))).toEqual({
			child: 735,
			young_person: 207,
			parent_carer: 963,
			practitioner: 575,
			other: 164
		});

		const byDistrict = await db
			.selectFrom('submission')
			.select(['district_code', (eb) => eb.fn.countAll<number>().as('n')])
			.where('district_code', 'is not', null)
			.groupBy('district_code')
			.execute();
		expect(Object.fromEntries(byDistrict.map((r) => [r.district_code, Number(r.n)]))).toEqual({
			bromsgrove: 607,
			'malvern-hills': 311,
			redditch: 129,
			'worcester-city': 560,
			wychavon: 448,
			'wyre-forest': 345,
			outside: 31
		});

		const libraries = await db
			.selectFrom('location')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('kind', '=', 'library')
			.executeTakeFirstOrThrow();
		expect(Number(libraries.n)).toBe(21);

		const disabilityOffline = await db
			.selectFrom('submission')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('channel', '!=', 'online')
			.where('eq_disability', '!=', 'not_asked')
			.executeTakeFirstOrThrow();
		expect(Number(disabilityOffline.n)).toBe(0);
	}, 240_000);
});
