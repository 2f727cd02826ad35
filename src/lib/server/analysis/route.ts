/** What every analysis page, action and endpoint does first: the role check, the consultation, the filters. */
import { error } from '@sveltejs/kit';
import { requireRole, ANALYSTS } from '../auth/guard';
import { getConsultationCached, type getConsultation } from '../consultations/queries';
import { analysisFilters, scopeOf } from './scope';
import type { Db } from '../db/connect';
import { staffQuestionText } from '../../domain/questions';

interface AnalysisEvent {
	locals: App.Locals;
	url: URL;
	params: Record<string, string>;
}

export async function analysisContext(event: AnalysisEvent) {
	const user = requireRole(event, ANALYSTS);
	const db: Db = event.locals.db;
	// One query (the row's stamp) rather than four when this process holds the view read at that stamp:
	// a cached page's layout and page each come here, and never see a view older than the row.
	const consultation = await getConsultationCached(db, event.params.slug);
	if (!consultation) error(404, 'We could not find that consultation.');
	const filters = await analysisFilters(db, consultation, event.url.searchParams);
	return {
		user,
		db,
		consultation,
		filters,
		scope: scopeOf(consultation, filters),
		base: `/admin/c/${consultation.slug}`
	};
}

/** The consultation fields pages need (no definitions or notices). */
export function publicShape(c: NonNullable<Awaited<ReturnType<typeof getConsultation>>>) {
	return {
		slug: c.slug,
		title: c.title,
		organisation: c.organisation,
		opensAt: c.opensAt,
		closesAt: c.closesAt,
		status: c.status,
		groups: c.groups.map((g) => ({ code: g.code, label: g.label })),
		districts: c.districts,
		questions: c.questions.map((q) => ({ id: q.id, key: q.key, text: staffQuestionText(q) }))
	};
}
