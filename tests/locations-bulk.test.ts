import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { allDistricts, listLocations, addLocation } from '../src/lib/server/entry/locations';
import { addLocations, parseLocationList } from '../src/lib/server/entry/locations-bulk';
import { addUser } from './helpers/users';

describeEachEngine('adding locations from a pasted list', (engine) => {
	let db: FreshDb;
	let officer: number;
	beforeAll(async () => {
		db = await preparedDatabase(engine);
		officer = (await addUser(db.db, { email: 'o@x.gov.uk', role: 'officer', password: 'password-long-1' }, null)).id;
		await addLocation(
			db.db,
			{ name: 'Kidderminster Library', district: 'wyre-forest', kind: 'library' },
			new Set(['wyre-forest']),
			officer
		);
	});
	afterAll(async () => db?.drop());

	const parse = async (text: string) =>
		parseLocationList(
			text,
			await allDistricts(db.db),
			(await listLocations(db.db)).map((l) => l.name)
		);

	it('names every bad line at once and adds nothing', async () => {
		const before = (await listLocations(db.db)).length;
		const r = await parse(
			[
				'Bewdley Library, Wyre Forest',
				'Redditch Library, Atlantis',
				' , redditch',
				'kidderminster library',
				'Bewdley  library',
				'',
				'Hagley Library'
			].join('\n')
		);
		expect(r.locations).toEqual([]);
		expect(r.errors).toEqual([
			expect.stringMatching(/^Line 2: "Atlantis" is not a district/),
			expect.stringMatching(/^Line 3: enter the name/),
			'Line 4: there is already a location called "kidderminster library"',
			'Line 5: "Bewdley library" is already on line 1'
		]);
		expect((await listLocations(db.db)).length).toBe(before);
	});

	it('adds a clean list with districts by name or code, tab-separated or not, all audited', async () => {
		const r = await parse(
			'Bewdley Library, Wyre Forest\nRedditch Library\tredditch\nLibrary, Hub, Worcester City\nHagley Library\n\n'
		);
		expect(r.errors).toEqual([]);
		expect(r.locations).toEqual([
			{ line: 1, name: 'Bewdley Library', districtCode: 'wyre-forest' },
			{ line: 2, name: 'Redditch Library', districtCode: 'redditch' },
			{ line: 3, name: 'Library, Hub', districtCode: 'worcester-city' },
			{ line: 4, name: 'Hagley Library', districtCode: null }
		]);
		expect(await addLocations(db.db, r.locations, 'library', officer)).toBe(4);
		const names = (await listLocations(db.db)).map((l) => l.name);
		expect(names).toEqual(
			expect.arrayContaining(['Bewdley Library', 'Redditch Library', 'Library, Hub', 'Hagley Library'])
		);
		const audits = await db.db
			.selectFrom('audit_log')
			.select('action')
			.where('action', '=', 'location.create')
			.execute();
		expect(audits).toHaveLength(5);
	});
});
