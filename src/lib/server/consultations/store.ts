import type { Transaction } from 'kysely';
import type { Db } from '../db/connect';
import type { Database } from '../db/schema';
import type { LoadedDefinition } from './definition';
import { nowIso } from '../util/time';

type Tx = Db | Transaction<Database>;

/**
 * Creates the consultation or brings an existing one's wording, groups,
 * districts and questions up to date. Never deletes questions or answers:
 * a definition file can add and reword, not destroy responses.
 */
export async function upsertConsultation(db: Db, loaded: LoadedDefinition): Promise<{ id: number; created: boolean }> {
	const d = loaded.definition;
	return db.transaction().execute(async (tx) => {
		const now = nowIso();
		const existing = await tx.selectFrom('consultation').select('id').where('slug', '=', d.slug).executeTakeFirst();
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
			updated_at: now
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
		await upsertQuestions(tx, id, loaded);
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

async function upsertQuestions(tx: Tx, consultationId: number, { definition }: LoadedDefinition) {
	for (const [position, q] of definition.questions.entries()) {
		const values = {
			position: position + 1,
			text: q.text,
			easy_read: q.easyRead,
			wording_by_group: JSON.stringify(q.byGroup ?? {}),
			wording_to_confirm: q.wordingToConfirm ? 1 : 0
		};
		await tx
			.insertInto('question')
			.values({ consultation_id: consultationId, key: q.key, ...values })
			.onConflict((oc) => oc.columns(['consultation_id', 'key']).doUpdateSet(values))
			.execute();
	}
}
