/**
 * Two views of the same submissions must hide the same counts: the channel table's "Online"
 * and the location table's "No location (online)" row, and the totals both show. Attacked as
 * a pair (tests/helpers/disclosure-attack.ts attackPair), on both engines.
 */
import { SLUG } from './helpers/consultation';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { attack, attackPair } from './helpers/disclosure-attack';
import { getConsultation } from '../src/lib/server/consultations/queries';
import { saveSubmission } from '../src/lib/server/submissions/save';
import { addLocation } from '../src/lib/server/entry/locations';
import { createUser } from '../src/lib/server/users/index';
import { parseFilters } from '../src/lib/analysis/filters';
import { tableById } from '../src/lib/server/analysis/registry';
import { protectLinked, protectTable } from '../src/lib/analysis/suppress';

describeEachEngine('views that publish the same count', (engine) => {
	let fresh: FreshDb;
	beforeAll(async () => {
		fresh = await preparedDatabase(engine);
		const c = (await getConsultation(fresh.db, SLUG))!;
		const admin = (
			await createUser(fresh.db, { email: 'a@x.gov.uk', role: 'admin', password: 'password-long-1' }, null)
		).id;
		const at = async (name: string) =>
			(await addLocation(fresh.db, { name, district: 'wychavon', kind: 'library' }, new Set(['wychavon']), admin)).id;
		const [a, b] = [await at('Alpha Library'), await at('Beta Library')];
		const save = (channel: 'online' | 'library', locationId: number | null) =>
			saveSubmission(
				fresh.db,
				c,
				{
					id: randomUUID(),
					district: 'wychavon',
					perspectives: [{ group: 'child', answers: { q1: 'parks' } }]
				} as never,
				{ channel, locationId }
			);
		// 12 online (no location); 3 at libraries: one at Alpha, two at Beta.
		for (let i = 0; i < 12; i++) await save('online', null);
		await save('library', a);
		await save('library', b);
		await save('library', b);
	});
	afterAll(() => fresh?.drop());

	it('the channel and location tables hide the same counts, and the pair gives nothing away', async () => {
		const c = (await getConsultation(fresh.db, SLUG))!;
		const filters = parseFilters(new URLSearchParams(''));
		const channels = (await tableById(fresh.db, c, filters, 'channels', new URLSearchParams(), '/b'))!;
		const locations = (await tableById(fresh.db, c, filters, 'locations', new URLSearchParams(), '/b'))!;
		const cell = (t: typeof channels, row: string) => t.rows.find((r) => r.key === row)!.cells[0];
		// Each view on its own resists the attack ...
		expect(attack(channels, { min: 5 })).toEqual([]);
		expect(attack(locations, { min: 5 })).toEqual([]);
		expect(cell(channels, 'library').suppressed).toBe(true);
		// ... and so does the pair (without the linked rule: "Online" [c] here, "No location (online)" 12 there, so Library = 15 − 12 = 3).
		const links = [
			{ rowA: 'online', colA: 'n', rowB: 'unknown', colB: 'responses' },
			{ rowA: '_total', colA: 'n', rowB: '_total', colB: 'responses' }
		];
		expect(locations.rows.some((r) => r.key === 'unknown')).toBe(true);
		expect(attackPair(channels, locations, links, { min: 5 })).toEqual([]);
		expect(cell(channels, 'online').suppressed).toBe(cell(locations, 'unknown').suppressed);
	});
});

it('protectLinked: a count hidden in one view is hidden in the other, which is then protected with it hidden', () => {
	// View A: online 6, library 3 (small), school 12, total 21. View B: Alpha 1, Beta 4, Gamma 10, no location 6,
	// total 21 (Alpha and Beta add up to 5, not a small count, so B alone need hide no more: closeSmallSums).
	const a = { cells: [[6], [3], [12]], colTotals: [21], min: 5 };
	const b = { cells: [[1], [4], [10], [6]], colTotals: [21], min: 5 };
	// Alone, B can show its 6 (Alpha and Beta protect each other) while A hides online to protect library.
	expect(protectTable(b).cells[3][0]).toBe(false);
	expect(protectTable(a).cells[0][0]).toBe('secondary');
	const [pa, pb] = protectLinked(
		[a, b],
		[
			{ a: 0, at: [0, 0], b: 1, bt: [3, 0] },
			{ a: 0, at: [3, 0], b: 1, bt: [4, 0] }
		]
	);
	expect(pa.cells[0][0]).toBe('secondary');
	expect(pb.cells[3][0]).toBe('secondary');
	expect(Boolean(pa.colTotals[0])).toBe(Boolean(pb.colTotals[0]));
});
