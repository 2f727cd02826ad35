import { LOCATION_KINDS, type LocationInput } from '../../schemas/entry';
import type { Db } from '../db/connect';
import { audit } from '../audit/index';
import { nowIso } from '../util/time';

export { LOCATION_KINDS };
export const LOCATION_KIND_LABELS: Record<(typeof LOCATION_KINDS)[number], string> = {
	library: 'Library',
	school: 'School',
	community: 'Community venue',
	event: 'Event',
	other: 'Other'
};

export interface LocationView {
	id: number;
	name: string;
	districtCode: string | null;
	kind: string;
	active: boolean;
}

export async function listLocations(db: Db, opts: { activeOnly?: boolean } = {}): Promise<LocationView[]> {
	let q = db.selectFrom('location').select(['id', 'name', 'district_code', 'kind', 'active']).orderBy('name');
	if (opts.activeOnly) q = q.where('active', '=', 1);
	const rows = await q.execute();
	return rows.map((r) => ({
		id: r.id,
		name: r.name,
		districtCode: r.district_code,
		kind: r.kind,
		active: r.active === 1
	}));
}

export { locationSchema, type LocationInput } from '../../schemas/entry';

export class LocationError extends Error {
	constructor(
		message: string,
		readonly field: string
	) {
		super(message);
	}
}

/** Adds a location; the district must be one of `districtCodes` (any consultation's) or none. */
export async function addLocation(
	db: Db,
	input: LocationInput,
	districtCodes: Set<string>,
	actorId: number
): Promise<LocationView> {
	if (input.district && !districtCodes.has(input.district))
		throw new LocationError(`Unknown district "${input.district}"`, 'district');
	const clash = await db.selectFrom('location').select('id').where('name', '=', input.name).executeTakeFirst();
	if (clash) throw new LocationError('There is already a location with that name', 'name');
	return db.transaction().execute(async (tx) => {
		const row = await tx
			.insertInto('location')
			.values({ name: input.name, district_code: input.district, kind: input.kind, active: 1, created_at: nowIso() })
			.returning(['id', 'name', 'district_code', 'kind', 'active'])
			.executeTakeFirstOrThrow();
		await audit(tx, { userId: actorId, action: 'location.create', entity: 'location', entityId: row.id, after: row });
		return { id: row.id, name: row.name, districtCode: row.district_code, kind: row.kind, active: row.active === 1 };
	});
}

/** Every district any consultation knows, code -> label (locations are shared across consultations). */
export async function allDistricts(db: Db): Promise<{ code: string; label: string }[]> {
	const rows = await db
		.selectFrom('district')
		.select(['code', 'label'])
		.orderBy('consultation_id')
		.orderBy('position')
		.execute();
	const seen = new Map<string, string>();
	for (const r of rows) if (!seen.has(r.code)) seen.set(r.code, r.label);
	return [...seen].map(([code, label]) => ({ code, label }));
}
