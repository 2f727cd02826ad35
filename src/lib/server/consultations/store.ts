import type { Transaction } from 'kysely';
import type { Db } from '../db/connect';
import type { Database } from '../db/schema';
import type { LoadedDefinition } from './definition';
import { nowIso } from '../util/time';

type Tx = Db | Transaction<Database>;

/**
 * A consultation's new `updated_at`: now, or just after the previous one when
 * that is not earlier (two writes in one millisecond, or a clock behind another
 * instance's). The consultation cache is keyed by it (queries.ts
 * getConsultationCached), so every write that changes the view must change it.
 */
export function nextUpdatedAt(previous: string | null | undefined, now = nowIso()): string {
	if (!previous || now > previous) return now;
	return new Date(Date.parse(previous) + 1).toISOString();
}

/**
 * Creates the consultation or brings an existing one's wording, groups,
 * districts and questions up to date. Never deletes questions or answers:
 * a definition file can add and reword, not destroy responses.
 */
export async function upsertConsultation(
	db: Db | Transaction<Database>,
	loaded: LoadedDefinition,
	actorId: number | null = null
): Promise<{ id: number; created: boolean }> {
	const d = loaded.definition;
	const inTransaction = <T>(work: (tx: Transaction<Database>) => Promise<T>) =>
		db.isTransaction ? work(db as Transaction<Database>) : db.transaction().execute(work);
	return inTransaction(async (tx) => {
		const now = nowIso();
		const existing = await tx
			.selectFrom('consultation')
			.select(['id', 'updated_at'])
			.where('slug', '=', d.slug)
			.executeTakeFirst();
		const row = {
			title: d.title,
			organisation: d.organisation,
			description: d.description,
			status: d.status,
			opens_at: d.opensAt ?? null,
			closes_at: d.closesAt ?? null,
			privacy_notice: d.privacyNotice,
			accessibility_statement: d.accessibilityStatement ?? null,
			retention_until: d.retentionUntil ?? null,
			definition: JSON.stringify(d),
			updated_at: nextUpdatedAt(existing?.updated_at)
		};
		let id: number;
		if (existing) {
			id = existing.id;
			await tx.updateTable('consultation').set(row).where('id', '=', id).execute();
		} else {
			const inserted = await tx
				.insertInto('consultation')
				.values({ ...row, slug: d.slug, created_at: now })
				.returning('id')
				.executeTakeFirstOrThrow();
			id = inserted.id;
		}
		await upsertGroups(tx, id, loaded);
		await upsertDistricts(tx, id, loaded);
		await upsertQuestions(tx, id, loaded, actorId);
		return { id, created: !existing };
	});
}

async function upsertGroups(tx: Tx, consultationId: number, { definition }: LoadedDefinition) {
	for (const [position, g] of definition.groups.entries()) {
		const values = {
			label: g.label,
			easy_read_label: g.easyReadLabel ?? null,
			description: g.description ?? null,
			age_min: g.ageMin ?? null,
			age_max: g.ageMax ?? null,
			hidden: g.hidden ? 1 : 0,
			position
		};
		await tx
			.insertInto('respondent_group')
			.values({ consultation_id: consultationId, code: g.code, ...values })
			.onConflict((oc) => oc.columns(['consultation_id', 'code']).doUpdateSet(values))
			.execute();
	}
}

async function upsertDistricts(tx: Tx, consultationId: number, { definition }: LoadedDefinition) {
	for (const [position, d] of definition.districts.entries()) {
		await tx
			.insertInto('district')
			.values({ consultation_id: consultationId, code: d.code, label: d.label, position })
			.onConflict((oc) => oc.columns(['consultation_id', 'code']).doUpdateSet({ label: d.label, position }))
			.execute();
	}
}

async function upsertQuestions(
	tx: Tx,
	consultationId: number,
	{ definition }: LoadedDefinition,
	actorId: number | null
) {
	for (const [position, q] of definition.questions.entries()) {
		const wording = { text: q.text, easy_read: q.easyRead, wording_by_group: JSON.stringify(q.byGroup ?? {}) };
		const version = await versionFor(tx, consultationId, q.key, wording, actorId);
		const values = {
			position: position + 1,
			...wording,
			wording_to_confirm: q.wordingToConfirm ? 1 : 0,
			hidden: q.hidden ? 1 : 0,
			...(version === null ? {} : { wording_version: version })
		};
		await tx
			.insertInto('question')
			.values({ consultation_id: consultationId, key: q.key, ...values })
			.onConflict((oc) => oc.columns(['consultation_id', 'key']).doUpdateSet(values))
			.execute();
	}
}

type Wording = { text: string; easy_read: string; wording_by_group: string };

/**
 * The wording version a question gets when it is saved: once it has answers, a
 * change of wording is kept as a new version (the old one stays in
 * question_wording, so the report can show what each answer was given to);
 * before it has answers the wording is simply replaced. null: no change.
 */
async function versionFor(
	tx: Tx,
	consultationId: number,
	key: string,
	next: Wording,
	actorId: number | null
): Promise<number | null> {
	const current = await tx
		.selectFrom('question')
		.select(['id', 'text', 'easy_read', 'wording_by_group', 'wording_version'])
		.where('consultation_id', '=', consultationId)
		.where('key', '=', key)
		.executeTakeFirst();
	if (!current) return null;
	const same =
		current.text === next.text &&
		current.easy_read === next.easy_read &&
		current.wording_by_group === next.wording_by_group;
	if (same) return null;
	const answered = await tx
		.selectFrom('answer')
		.select('id')
		.where('question_id', '=', current.id)
		.limit(1)
		.executeTakeFirst();
	if (!answered) return null;
	const now = nowIso();
	// The wording the existing answers were given to, kept before it is replaced.
	await tx
		.insertInto('question_wording')
		.values({
			question_id: current.id,
			version: current.wording_version,
			text: current.text,
			easy_read: current.easy_read,
			wording_by_group: current.wording_by_group,
			created_at: now,
			created_by: actorId
		})
		.onConflict((oc) => oc.columns(['question_id', 'version']).doNothing())
		.execute();
	const version = current.wording_version + 1;
	await tx
		.insertInto('question_wording')
		.values({ question_id: current.id, version, ...next, created_at: now, created_by: actorId })
		.execute();
	return version;
}
