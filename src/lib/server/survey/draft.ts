import { createHash, randomBytes } from 'node:crypto';
import { newSubmissionId } from './ids';
import type { Db } from '../db/connect';
import { nowIso } from '../util/time';
import { draftIdleMinutes } from './config';

/** The equality answers: an option code, "prefer_not_to_say", or absent (left blank). */
export interface DraftAbout {
	ageBand?: string;
	gender?: string;
	genderSelfDescribe?: string;
	disability?: string;
	ethnicity?: string;
	sexualOrientation?: string;
}

/** What a respondent has answered so far. */
export interface DraftData {
	/** Epoch milliseconds when the survey was started (for the minimum time to complete). */
	startedAt: number;
	/** Respondent group codes in the order they were offered; empty until chosen. */
	groups: string[];
	/** District code, null for "I don't know", undefined when not answered. */
	district?: string | null;
	/** group code -> question key -> text. Kept for groups later unticked, but only chosen groups are sent. */
	answers: Record<string, Record<string, string>>;
	/** null until the "About you" page has been sent. */
	about: DraftAbout | null;
	/** The answer to "Do you want to answer some questions about yourself?"; undefined until given. */
	aboutWanted?: boolean;
	/** The page (path under /s/<slug>/) the person goes to next: where "Continue" takes them back to. */
	at?: string;
}

export interface Draft {
	/** The row id (SHA-256 of the cookie token). */
	id: string;
	submissionId: string;
	data: DraftData;
}

export const DRAFT_COOKIE = 'survey_draft';

function rowId(token: string): string {
	return createHash('sha256').update(token).digest('base64url');
}

export function newDraftData(now = Date.now()): DraftData {
	return { startedAt: now, groups: [], answers: {}, about: null };
}

/**
 * Starts a draft: a random token for the cookie (only its hash is stored) and
 * the UUID the final submission will carry (time-ordered: ids.ts). Stale drafts are cleared on the way.
 */
export async function createDraft(db: Db, consultationId: number): Promise<{ token: string; draft: Draft }> {
	await deleteStaleDrafts(db);
	const token = randomBytes(32).toString('base64url');
	const draft: Draft = { id: rowId(token), submissionId: newSubmissionId(), data: newDraftData() };
	const now = nowIso();
	await db
		.insertInto('survey_draft')
		.values({
			id: draft.id,
			consultation_id: consultationId,
			submission_id: draft.submissionId,
			data: JSON.stringify(draft.data),
			created_at: now,
			updated_at: now
		})
		.execute();
	return { token, draft };
}

export async function loadDraft(db: Db, consultationId: number, token: string | undefined): Promise<Draft | null> {
	if (!token || token.length > 100) return null;
	const id = rowId(token);
	const row = await db
		.selectFrom('survey_draft')
		.select(['id', 'submission_id', 'data', 'updated_at'])
		.where('id', '=', id)
		.where('consultation_id', '=', consultationId)
		.executeTakeFirst();
	if (!row) return null;
	if (row.updated_at < staleBefore()) {
		// Past its idle life: gone for good, not merely hidden.
		await deleteDraft(db, row.id);
		return null;
	}
	return { id: row.id, submissionId: row.submission_id, data: JSON.parse(row.data) as DraftData };
}

export async function saveDraft(db: Db, draft: Draft): Promise<void> {
	await db
		.updateTable('survey_draft')
		.set({ data: JSON.stringify(draft.data), updated_at: nowIso() })
		.where('id', '=', draft.id)
		.execute();
}

export async function deleteDraft(db: Db, id: string): Promise<void> {
	await db.deleteFrom('survey_draft').where('id', '=', id).execute();
}

function staleBefore(now = Date.now()): string {
	return new Date(now - draftIdleMinutes() * 60 * 1000).toISOString();
}

/** Deletes drafts untouched for longer than their idle life (draftIdleMinutes); returns how many. */
export async function deleteStaleDrafts(db: Db, now = Date.now()): Promise<number> {
	const result = await db.deleteFrom('survey_draft').where('updated_at', '<', staleBefore(now)).executeTakeFirst();
	return Number(result.numDeletedRows ?? 0);
}
