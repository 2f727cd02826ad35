import { audit } from '../audit/index';
import type { Db } from '../db/connect';
import { nowIso } from '../util/time';
import { cleanText } from '../../schemas/text';
import { LOCATION_KINDS } from './locations';

/** Lines in one pasted list (a county's libraries and schools fit many times over). */
export const MAX_BULK_LOCATIONS = 300;

export interface BulkLocation {
	line: number;
	name: string;
	districtCode: string | null;
}

export interface BulkParse {
	locations: BulkLocation[];
	/** "Line 3: …", in line order; any error means nothing is added. */
	errors: string[];
}

const key = (s: string) =>
	s
		.toLowerCase()
		.replace(/[_\-.:]+/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();

/**
 * Reads a pasted list, one location a line: "name, district" (or name and
 * district separated by a tab, as pasted from a spreadsheet); the district, a
 * code or its name, may be left out. The district is what follows the LAST
 * comma, so "Library, Redditch" is the Library in Redditch. Checks every line
 * against the known districts and the existing locations, so the officer sees
 * every problem at once.
 */
export function parseLocationList(
	text: string,
	districts: { code: string; label: string }[],
	existingNames: string[]
): BulkParse {
	const locations: BulkLocation[] = [];
	const errors: string[] = [];
	const existing = new Set(existingNames.map(key));
	const seen = new Map<string, number>();
	const lines = cleanText(text).split(/\r\n|\r|\n/);
	const filled = lines.filter((l) => l.trim() !== '').length;
	if (filled === 0) return { locations, errors: ['Enter at least one location, one a line'] };
	if (filled > MAX_BULK_LOCATIONS)
		return { locations, errors: [`The list has ${filled} locations: add at most ${MAX_BULK_LOCATIONS} at a time`] };
	lines.forEach((raw, i) => {
		const line = i + 1;
		if (raw.trim() === '') return;
		const sep = raw.includes('\t') ? raw.lastIndexOf('\t') : raw.lastIndexOf(',');
		const name = (sep >= 0 ? raw.slice(0, sep) : raw).trim().replace(/\s+/g, ' ');
		const districtRaw = sep >= 0 ? raw.slice(sep + 1).trim() : '';
		let districtCode: string | null = null;
		if (districtRaw !== '') {
			const d = districts.find((x) => key(x.code) === key(districtRaw) || key(x.label) === key(districtRaw));
			if (!d) {
				errors.push(
					`Line ${line}: "${districtRaw.slice(0, 60)}" is not a district. Use one of: ${districts.map((x) => x.label).join(', ')}, or leave it out`
				);
				return;
			}
			districtCode = d.code;
		}
		if (name === '') errors.push(`Line ${line}: enter the name of the location before the comma`);
		else if (name.length > 200) errors.push(`Line ${line}: the name must be 200 characters or fewer`);
		else if (existing.has(key(name))) errors.push(`Line ${line}: there is already a location called "${name}"`);
		else if (seen.has(key(name))) errors.push(`Line ${line}: "${name}" is already on line ${seen.get(key(name))}`);
		else {
			seen.set(key(name), line);
			locations.push({ line, name, districtCode });
		}
	});
	return { locations: errors.length ? [] : locations, errors };
}

/** Adds the parsed list in one transaction (all or nothing), each one audited like a location added by hand. */
export async function addLocations(
	db: Db,
	list: BulkLocation[],
	kind: (typeof LOCATION_KINDS)[number],
	actorId: number
): Promise<number> {
	return db.transaction().execute(async (tx) => {
		for (const l of list) {
			const row = await tx
				.insertInto('location')
				.values({ name: l.name, district_code: l.districtCode, kind, active: 1, created_at: nowIso() })
				.returning(['id', 'name', 'district_code', 'kind', 'active'])
				.executeTakeFirstOrThrow();
			await audit(tx, { userId: actorId, action: 'location.create', entity: 'location', entityId: row.id, after: row });
		}
		return list.length;
	});
}
