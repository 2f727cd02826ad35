/**
 * A group view's submission counts summed from ONE read of the consultation's group-set rows per request (issue #19,
 * helper dash37). A view filtered to a respondent type and a district (child + Bromsgrove) is protected with every
 * type × district slice (wider.ts siblingFamily: 6 × 8 = 48 scopes) and with the types' family (6), and each of
 * their readers of the group-set tables (aggregates.ts: submissions, districts, channels, locations, days ×
 * channels, districts × channels, the equality margins) ran once for the family, grouped by the slices' columns,
 * the group joined to the sets' members by `replace(group_set, '|' || m.g || '|', '') <> group_set`: ten statements
 * of 4–38 ms of CPU each at a million answers (~125 ms of a request's ~140 ms of SQL), over tables of a few thousand
 * rows (analysis_agg_group_set: 4,580; the margins: 1,525). Here each table's rows of the consultation are read
 * once (its key columns and n, as they are stored) and every scope sums its own: the rows whose set holds its type
 * (the same test: `|type|` in the set), of its district, channel(s) and days, grouped by the reader's columns and in
 * their order (SQLite's GROUP BY order: numbers by value, text by code unit), so the same rows as the reader's
 * own statement. Only for scopes the readers answer through the sets and batch (a group filter, in a protected
 * view or a family); ANALYSIS_SET_FAMILY=off reads as before (read at use).
 */
import { FACE_TO_FACE, UNKNOWN } from '../../analysis/filters';
import { FACE_TO_FACE_CHANNELS } from '../../domain/channels';
import { envSwitch } from '../../analysis/switches';
import type { Db } from '../db/connect';
import type { Dimension } from '../../analysis/dimensions';
import { arrayRows } from '../db/array-rows';
import { memoisedInFamily, type Scope } from './scope';
import {
	aggregatesEnabled,
	channelEqualityEnabled,
	equalityMarginsEnabled,
	familyBatching,
	keptMarginsEnabled,
	key,
	location,
	MARGIN_FIELD,
	SUBMISSION_DIM,
	summariseMargins
} from './aggregates';
import { EQUALITY_MARGIN_TABLE, COMPLETED_FIELD } from '../db/migrations/lib/equality-margin-sql';

/** ANALYSIS_SET_FAMILY=off: every group-set reader runs its own statement (aggregates.ts), as before. Read at use. */
export function setFamilyEnabled(): boolean {
	return envSwitch('ANALYSIS_SET_FAMILY') !== 'off';
}

type SetTable = 'analysis_agg_group_set' | typeof EQUALITY_MARGIN_TABLE;

/** Each table's key columns after the consultation and the set (the rows are read with these, then n). */
const KEY_COLUMNS: Record<SetTable, readonly string[]> = {
	analysis_agg_group_set: ['district_code', 'channel', 'location_id', 'day'],
	[EQUALITY_MARGIN_TABLE]: ['district_code', 'channel', 'field', 'value']
};

/** A stored row: its set, its key columns' values (KEY_COLUMNS' order) and n. */
interface SetRow {
	set: string;
	values: unknown[];
	n: number;
}

/** A table's rows of the consultation, and the rows of each type's sets (by the set test), made when first asked. */
interface FamilyRows {
	rows: SetRow[];
	byMember: Map<string, SetRow[]>;
}

/** The table's rows of the scope's consultation, read once per request's family of scopes. */
function familyRows(db: Db, s: Scope, table: SetTable): Promise<FamilyRows> {
	return memoisedInFamily(s, `set-family:${table}`, async () => {
		const cols = KEY_COLUMNS[table];
		// As arrays (array-rows.ts: SQLite's raw mode), the set first, then the key columns, then n.
		const rows = await arrayRows(
			db,
			(db as unknown as Db)
				.selectFrom(table as 'analysis_agg_group_set')
				.where('consultation_id', '=', s.consultationId)
				.select(['group_set', ...(cols as never[]), 'n'])
		);
		const last = cols.length + 1;
		return {
			rows: rows.map((r) => ({ set: String(r[0]), values: r.slice(1, last), n: Number(r[last]) })),
			byMember: new Map()
		};
	});
}

/**
 * The rows whose set holds type `g` ('' for not known): aggregates.ts inSet's test, `|g|` within the set; and of
 * district `d` ('' for not given) when given. Made once per request for each.
 */
function memberRows(f: FamilyRows, g: string, d: string | undefined): SetRow[] {
	const k = d === undefined ? g : `${g}\u0000${d}`;
	let out = f.byMember.get(k);
	if (!out) {
		const needle = `|${g}|`;
		out =
			d === undefined
				? f.rows.filter((r) => r.set.includes(needle))
				: memberRows(f, g, undefined).filter((r) => r.values[0] === d);
		f.byMember.set(k, out);
	}
	return out;
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Whether a scope's group-set readers are answered here: the switch on, the aggregates on and batching (a family or
 * protected view: aggregates.ts sliced), a group filter (the readers then go through the sets), no question or theme
 * filter, dates (if any) of ten characters (compared as text, as the readers' `day >= from` and `day <= to`).
 */
function answers(s: Scope): boolean {
	const f = s.filters;
	if (!setFamilyEnabled() || !aggregatesEnabled() || !familyBatching()) return false;
	if (f.group === undefined || f.question !== undefined || f.theme !== undefined) return false;
	if (!(f.min > 0 || s.family !== undefined)) return false;
	return (f.from === undefined || ISO_DAY.test(f.from)) && (f.to === undefined || ISO_DAY.test(f.to));
}

/** SQLite's order of GROUP BY keys of one type: numbers by value, text by code unit (ASCII keys: as bytes). */
function compareValues(a: unknown, b: unknown): number {
	if (typeof a === 'number' && typeof b === 'number') return a - b;
	const x = String(a);
	const y = String(b);
	return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The scope's rows of `table` summed per value of `columns` (KEY_COLUMNS names), in their GROUP BY order: the rows
 * of its type's sets, of its district and channel (the face-to-face channels for FACE_TO_FACE) and, on the
 * submission table, of its days. Sums of 0 kept (the readers leave them out themselves).
 */
async function grouped(db: Db, s: Scope, table: SetTable, columns: readonly string[]) {
	const f = s.filters;
	const cols = KEY_COLUMNS[table];
	const at = columns.map((c) => cols.indexOf(c));
	const fam = await familyRows(db, s, table);
	const district = f.district === undefined ? undefined : f.district === UNKNOWN ? '' : f.district;
	const channels =
		f.channel === undefined
			? undefined
			: f.channel === FACE_TO_FACE
				? new Set<unknown>(FACE_TO_FACE_CHANNELS)
				: new Set<unknown>([f.channel]);
	const day = table === 'analysis_agg_group_set' ? cols.indexOf('day') : -1;
	const from = day >= 0 ? f.from : undefined;
	const to = day >= 0 ? f.to : undefined;
	// The groups by their columns' values, one Map per column (a column's values are all numbers or all text).
	const sums = new Map<unknown, unknown>();
	const out: { values: unknown[]; n: number }[] = [];
	for (const r of memberRows(fam, f.group === UNKNOWN ? '' : f.group!, district)) {
		if (channels && !channels.has(r.values[1])) continue;
		if (from !== undefined && String(r.values[day]) < from) continue;
		if (to !== undefined && String(r.values[day]) > to) continue;
		let m = sums;
		for (let i = 0; i < at.length - 1; i++) {
			let next = m.get(r.values[at[i]]) as Map<unknown, unknown> | undefined;
			if (!next) m.set(r.values[at[i]], (next = new Map()));
			m = next;
		}
		const last = at.length === 0 ? '' : r.values[at[at.length - 1]];
		const had = m.get(last) as { values: unknown[]; n: number } | undefined;
		if (had) had.n += r.n;
		else {
			const group = { values: at.map((i) => r.values[i]), n: r.n };
			m.set(last, group);
			out.push(group);
		}
	}
	out.sort((a, b) => {
		for (let i = 0; i < a.values.length; i++) {
			const c = compareValues(a.values[i], b.values[i]);
			if (c !== 0) return c;
		}
		return 0;
	});
	return out;
}

/** aggCountSubmissions for a scope answered here, else null. */
export async function setFamilyCount(db: Db, s: Scope): Promise<number | null> {
	if (!answers(s)) return null;
	return (await grouped(db, s, 'analysis_agg_group_set', [])).reduce((t, r) => t + r.n, 0);
}

/** aggSubmissionsBy (channel, district, location) for a scope answered here, else null. */
export async function setFamilyBy(
	db: Db,
	s: Scope,
	column: 'channel' | 'district_code' | 'location_id'
): Promise<{ key: string | null; n: number }[] | null> {
	if (!answers(s)) return null;
	const rows = await grouped(db, s, 'analysis_agg_group_set', [column]);
	const k = column === 'location_id' ? location : key;
	return rows.filter((r) => r.n !== 0).map((r) => ({ key: k(r.values[0]), n: r.n }));
}

/** aggDayAndChannel for a scope answered here, else null. */
export async function setFamilyDayAndChannel(
	db: Db,
	s: Scope
): Promise<{ a: string | null; b: string | null; n: number }[] | null> {
	if (!answers(s)) return null;
	const rows = await grouped(db, s, 'analysis_agg_group_set', ['day', 'channel']);
	return rows.filter((r) => r.n !== 0).map((r) => ({ a: key(r.values[0]), b: key(r.values[1]), n: r.n }));
}

/** aggCrossCounts of two different submission dimensions for a scope answered here, else null. */
export async function setFamilyCross(
	db: Db,
	s: Scope,
	a: Dimension,
	b: Dimension
): Promise<{ level: 'submission'; rows: { a: string | null; b: string | null; n: number }[] } | null> {
	const ca = SUBMISSION_DIM[a];
	const cb = SUBMISSION_DIM[b];
	if (!ca || !cb || a === b || !answers(s)) return null;
	const rows = await grouped(db, s, 'analysis_agg_group_set', [ca, cb]);
	const ka = a === 'location' ? location : key;
	const kb = b === 'location' ? location : key;
	return {
		level: 'submission',
		rows: rows.filter((r) => r.n !== 0).map((r) => ({ a: ka(r.values[0]), b: kb(r.values[1]), n: r.n }))
	};
}

/**
 * aggEqualityMargins from the kept margins (aggregates.ts keptEqualityMargins and summariseMargins) for a scope
 * answered here and by the kept margins (no dates; a channel only with its table), else null.
 */
export async function setFamilyEqualityMargins(db: Db, s: Scope) {
	const f = s.filters;
	if (!answers(s) || f.from !== undefined || f.to !== undefined) return null;
	if ((f.channel && !channelEqualityEnabled()) || !equalityMarginsEnabled() || !keptMarginsEnabled()) return null;
	const rows = await grouped(db, s, EQUALITY_MARGIN_TABLE, ['field', 'value']);
	return summariseMargins(
		rows.map((r) => ({ f: String(r.values[0]), v: r.values[1], n: r.n })),
		(f) => (f === COMPLETED_FIELD ? null : MARGIN_FIELD.get(f)!),
		(v) => v === '1'
	);
}
