import type { Db } from '../db/connect';

export interface OverviewRow {
	key: string;
	label: string;
	sessions: number;
	responses: number;
	/** Respondents by group code ('' = not known). */
	groups: Record<string, number>;
}

export interface GroupReach {
	group: string;
	respondents: number;
	occasions: number;
	locations: number;
}

export interface SessionsOverview {
	byChannel: OverviewRow[];
	byLocation: (OverviewRow & { district: string | null; kind: string | null })[];
	/** Face to face (in a collection session): "258 young people on 31 occasions at 27 locations". */
	reach: GroupReach[];
	totals: { sessions: number; faceToFaceResponses: number; locations: number };
}

/** Sessions, responses and respondent groups per channel and per location, for one consultation. */
export async function sessionsOverview(db: Db, consultationId: number): Promise<SessionsOverview> {
	const sessions = await db
		.selectFrom('collection_session')
		.select((eb) => ['channel', 'location_id', eb.fn.countAll().as('n')])
		.where('consultation_id', '=', consultationId)
		.groupBy(['channel', 'location_id'])
		.execute();
	const responses = await db
		.selectFrom('submission')
		.select((eb) => ['channel', 'location_id', eb.fn.countAll().as('n')])
		.where('consultation_id', '=', consultationId)
		.groupBy(['channel', 'location_id'])
		.execute();
	const groups = await db
		.selectFrom('submission as s')
		.innerJoin('perspective as p', 'p.submission_id', 's.id')
		.select((eb) => ['s.channel', 's.location_id', 'p.group_code', eb.fn.countAll().as('n')])
		.where('s.consultation_id', '=', consultationId)
		.groupBy(['s.channel', 's.location_id', 'p.group_code'])
		.execute();
	const reachRows = await db
		.selectFrom('submission as s')
		.innerJoin('perspective as p', 'p.submission_id', 's.id')
		.select((eb) => [
			'p.group_code',
			eb.fn.countAll().as('respondents'),
			eb.fn.count('s.collection_session_id').distinct().as('occasions'),
			eb.fn.count('s.location_id').distinct().as('locations')
		])
		.where('s.consultation_id', '=', consultationId)
		.where('s.collection_session_id', 'is not', null)
		.groupBy('p.group_code')
		.execute();
	const locations = await db.selectFrom('location').select(['id', 'name', 'district_code', 'kind']).execute();
	const locName = new Map(locations.map((l) => [l.id, l]));

	const byChannel = new Map<string, OverviewRow>();
	const byLocation = new Map<string, OverviewRow & { district: string | null; kind: string | null }>();
	const chan = (c: string) =>
		byChannel.get(c) ?? byChannel.set(c, { key: c, label: c, sessions: 0, responses: 0, groups: {} }).get(c)!;
	const loc = (id: number | null) => {
		const key = id === null ? '' : String(id);
		const l = id === null ? undefined : locName.get(id);
		return (
			byLocation.get(key) ??
			byLocation
				.set(key, {
					key,
					label: l?.name ?? 'No location (online or imported)',
					district: l?.district_code ?? null,
					kind: l?.kind ?? null,
					sessions: 0,
					responses: 0,
					groups: {}
				})
				.get(key)!
		);
	};
	for (const r of sessions) {
		chan(r.channel).sessions += Number(r.n);
		loc(r.location_id).sessions += Number(r.n);
	}
	for (const r of responses) {
		chan(r.channel).responses += Number(r.n);
		loc(r.location_id).responses += Number(r.n);
	}
	for (const r of groups) {
		const g = r.group_code ?? '';
		const c = chan(r.channel);
		c.groups[g] = (c.groups[g] ?? 0) + Number(r.n);
		const l = loc(r.location_id);
		l.groups[g] = (l.groups[g] ?? 0) + Number(r.n);
	}
	const totalSessions = sessions.reduce((a, r) => a + Number(r.n), 0);
	const f2f = await db
		.selectFrom('submission')
		.select((eb) => [eb.fn.countAll().as('n'), eb.fn.count('location_id').distinct().as('locations')])
		.where('consultation_id', '=', consultationId)
		.where('collection_session_id', 'is not', null)
		.executeTakeFirstOrThrow();
	return {
		byChannel: [...byChannel.values()].sort((a, b) => b.responses - a.responses),
		byLocation: [...byLocation.values()].sort((a, b) =>
			a.key === '' ? 1 : b.key === '' ? -1 : a.label.localeCompare(b.label)
		),
		reach: reachRows
			.map((r) => ({
				group: r.group_code ?? '',
				respondents: Number(r.respondents),
				occasions: Number(r.occasions),
				locations: Number(r.locations)
			}))
			.sort((a, b) => b.respondents - a.respondents),
		totals: { sessions: totalSessions, faceToFaceResponses: Number(f2f.n), locations: Number(f2f.locations) }
	};
}
