/**
 * Read-only share links for a consultation's results: a random token (shown once, only
 * its SHA-256 stored), an expiry date, revocable; every use, allowed or refused, audited.
 * What a link shows is the consultation report (/share/<token>, and its Word copy at
 * /share/<token>/report.docx), built by `sharedReportData` (report/shared.ts): the narrative
 * as written, suppressed tables, approved, redacted, unflagged quotes only.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/connect';
import { audit } from '../audit';
import { nowIso } from '../util/time';
import { ResultsError, type UserRef } from './index';

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');
export const MAX_SHARE_DAYS = 90;

/** What a refused link says (404 for an unknown token, 410 Gone for the others). */
export const SHARE_REFUSED = {
	unknown: 'This link is not valid.',
	expired: 'This link has expired. Ask the council for a new one.',
	revoked: 'This link has been withdrawn. Ask the council for a new one.'
} as const;

export interface ShareLinkView {
	id: number;
	label: string;
	expiresAt: string;
	revokedAt: string | null;
	createdAt: string;
	state: 'active' | 'expired' | 'revoked';
}

/** Checks the form: a label and an expiry date from tomorrow to MAX_SHARE_DAYS ahead. */
export function checkShareInput(
	label: string,
	expires: string,
	today = new Date()
): { field: string; message: string }[] {
	const errors: { field: string; message: string }[] = [];
	if (!label.trim())
		errors.push({ field: 'label', message: 'Enter who the link is for, for example “Partnership board, March”' });
	else if (label.trim().length > 100)
		errors.push({ field: 'label', message: 'Who the link is for must be 100 characters or fewer' });
	const d = /^\d{4}-\d{2}-\d{2}$/.test(expires) ? new Date(`${expires}T23:59:59.999Z`) : null;
	const max = new Date(today.getTime() + MAX_SHARE_DAYS * 86_400_000);
	if (!d || Number.isNaN(d.getTime()))
		errors.push({ field: 'expires', message: 'Enter the expiry date as a real date' });
	else if (d.getTime() <= today.getTime())
		errors.push({ field: 'expires', message: 'The expiry date must be in the future' });
	else if (d.getTime() > max.getTime() + 86_400_000)
		errors.push({ field: 'expires', message: `The expiry date must be within ${MAX_SHARE_DAYS} days` });
	return errors;
}

/** Creates a link; returns the token (the only time it is known). Audited without the token. */
export async function createShareLink(
	db: Db,
	consultationId: number,
	label: string,
	expires: string,
	user: UserRef,
	today = new Date()
): Promise<{ id: number; token: string }> {
	const errors = checkShareInput(label, expires, today);
	if (errors.length) throw new ResultsError(errors[0].message, errors[0].field);
	const token = randomBytes(24).toString('base64url');
	return db.transaction().execute(async (tx) => {
		const row = await tx
			.insertInto('share_link')
			.values({
				consultation_id: consultationId,
				token_hash: hashOf(token),
				label: label.trim(),
				expires_at: `${expires}T23:59:59.999Z`,
				revoked_at: null,
				created_by: user.id,
				created_at: nowIso()
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await audit(tx, {
			userId: user.id,
			action: 'share.create',
			entity: 'share_link',
			entityId: row.id,
			after: { consultationId, expires }
		});
		return { id: row.id, token };
	});
}

export async function revokeShareLink(db: Db, consultationId: number, id: number, user: UserRef): Promise<void> {
	await db.transaction().execute(async (tx) => {
		const r = await tx
			.updateTable('share_link')
			.set({ revoked_at: nowIso() })
			.where('id', '=', id)
			.where('consultation_id', '=', consultationId)
			.where('revoked_at', 'is', null)
			.executeTakeFirst();
		if (Number(r.numUpdatedRows) === 0) throw new ResultsError('That link is already revoked or does not exist');
		await audit(tx, { userId: user.id, action: 'share.revoke', entity: 'share_link', entityId: id });
	});
}

export async function listShareLinks(db: Db, consultationId: number, now = new Date()): Promise<ShareLinkView[]> {
	const rows = await db
		.selectFrom('share_link')
		.selectAll()
		.where('consultation_id', '=', consultationId)
		.orderBy('id', 'desc')
		.execute();
	return rows.map((r) => ({
		id: r.id,
		label: r.label,
		expiresAt: r.expires_at,
		revokedAt: r.revoked_at,
		createdAt: r.created_at,
		state: r.revoked_at ? 'revoked' : Date.parse(r.expires_at) < now.getTime() ? 'expired' : 'active'
	}));
}

/**
 * The consultation a token opens, or why not. Every attempt with a known token is audited
 * (share.view, or share.refused with the reason; a Word download says `as: 'docx'`);
 * unknown tokens are not (nothing to link to).
 */
export async function useShareLink(
	db: Db,
	token: string,
	now = new Date(),
	as: 'page' | 'docx' = 'page'
): Promise<
	| { ok: true; consultationId: number; slug: string; expiresAt: string }
	| { ok: false; reason: 'unknown' | 'expired' | 'revoked' }
> {
	if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) return { ok: false, reason: 'unknown' };
	const row = await db
		.selectFrom('share_link')
		.innerJoin('consultation', 'consultation.id', 'share_link.consultation_id')
		.selectAll('share_link')
		.select('consultation.slug')
		.where('share_link.token_hash', '=', hashOf(token))
		.executeTakeFirst();
	if (!row) return { ok: false, reason: 'unknown' };
	const reason = row.revoked_at ? 'revoked' : Date.parse(row.expires_at) < now.getTime() ? 'expired' : null;
	await audit(db, {
		userId: null,
		action: reason ? 'share.refused' : 'share.view',
		entity: 'share_link',
		entityId: row.id,
		detail: reason || as !== 'page' ? { ...(reason ? { reason } : {}), ...(as !== 'page' ? { as } : {}) } : undefined
	});
	return reason
		? { ok: false, reason }
		: { ok: true, consultationId: row.consultation_id, slug: row.slug, expiresAt: row.expires_at };
}
