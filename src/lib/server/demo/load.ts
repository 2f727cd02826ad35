import type { Db } from '../db/connect';
import { getConsultation } from '../consultations/queries';
import { saveSubmission } from '../submissions/save';
import { nowIso } from '../util/time';
import { LIBRARIES, OTHER_VENUES, planDemo } from './generate';
import { SHIPPED_SLUG } from '../../domain/shipped-consultation';

/** The demo data is generated for the shipped consultation. */
export const DEMO_SLUG = SHIPPED_SLUG;

export interface DemoLoadResult {
	created: number;
	alreadyThere: number;
	sessions: number;
}

/**
 * Loads the demo plan into the Worcestershire consultation. Idempotent: ids are
 * derived from the plan, so a second run finds every submission already there.
 */
export async function loadDemo(db: Db, opts: { batchSize?: number } = {}): Promise<DemoLoadResult> {
	const consultation = await getConsultation(db, DEMO_SLUG);
	if (!consultation) throw new Error(`Consultation ${DEMO_SLUG} is not loaded; run npm run migrate first`);
	const plan = planDemo();
	const now = nowIso();

	const locationIds = new Map<string, number>();
	for (const v of [...LIBRARIES.map((l) => ({ ...l, kind: 'library' })), ...OTHER_VENUES]) {
		await db
			.insertInto('location')
			.values({ name: v.name, district_code: v.district, kind: v.kind, created_at: now })
			.onConflict((oc) => oc.column('name').doNothing())
			.execute();
		const row = await db.selectFrom('location').select('id').where('name', '=', v.name).executeTakeFirstOrThrow();
		locationIds.set(v.name, row.id);
	}

	const sessionIds = new Map<string, number>();
	const existing = await db
		.selectFrom('collection_session')
		.select(['id', 'notes'])
		.where('consultation_id', '=', consultation.id)
		.where('is_demo', '=', 1)
		.execute();
	for (const s of existing) if (s.notes) sessionIds.set(s.notes, s.id);
	for (const s of plan.sessions) {
		const key = `demo:${s.key}`;
		if (sessionIds.has(key)) continue;
		const row = await db
			.insertInto('collection_session')
			.values({
				consultation_id: consultation.id,
				location_id: locationIds.get(s.venue)!,
				session_date: s.date,
				channel: s.channel,
				question_key: s.questionKey,
				default_group: null,
				notes: key,
				is_demo: 1,
				created_at: now
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		sessionIds.set(key, row.id);
	}
	const sessionVenue = new Map(plan.sessions.map((s) => [s.key, s.venue]));

	let created = 0;
	let alreadyThere = 0;
	const batchSize = opts.batchSize ?? 250;
	for (let i = 0; i < plan.submissions.length; i += batchSize) {
		const batch = plan.submissions.slice(i, i + batchSize);
		await db.transaction().execute(async (tx) => {
			for (const s of batch) {
				const result = await saveSubmission(tx, consultation, s.input, {
					channel: s.channel,
					collectionSessionId: s.sessionKey ? sessionIds.get(`demo:${s.sessionKey}`)! : null,
					locationId: s.sessionKey ? locationIds.get(sessionVenue.get(s.sessionKey)!)! : null,
					isDemo: true,
					createdAt: s.createdAt
				});
				if (result.status === 'created') created++;
				else alreadyThere++;
			}
		});
	}
	return { created, alreadyThere, sessions: plan.sessions.length };
}
