import { requireRole, ANALYSTS } from '$lib/server/auth/guard';
import { getConsultation, listConsultations } from '$lib/server/consultations/queries';
import { sessionsOverview } from '$lib/server/entry/overview';
import { CHANNEL_LABELS, type Channel } from '$lib/domain/channels';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, ANALYSTS);
	const db = event.locals.db;
	const all = await listConsultations(db);
	const wanted = event.url.searchParams.get('c');
	const chosen = all.find((c) => c.slug === wanted) ?? all.find((c) => c.status === 'open') ?? all[0];
	if (!chosen)
		return {
			consultations: [],
			consultation: null,
			overview: null,
			groups: [],
			districts: [],
			channelLabels: CHANNEL_LABELS
		};
	const c = (await getConsultation(db, chosen.slug))!;
	return {
		consultations: all.map((x) => ({ slug: x.slug, title: x.title })),
		consultation: { slug: c.slug, title: c.title },
		overview: await sessionsOverview(db, c.id),
		groups: c.groups.map((g) => ({ code: g.code, label: g.label })),
		districts: c.districts,
		channelLabels: CHANNEL_LABELS as Record<Channel | string, string>
	};
};
