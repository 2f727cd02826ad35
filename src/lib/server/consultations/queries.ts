import type { Selectable } from 'kysely';
import type { Db } from '../db/connect';
import type { Database } from '../db/schema';
import { consultationContentSchema, translationsSchema } from '../../schemas/consultation-file';
import type { Translations } from '../../i18n/consultation';
import { consultationContent, type ConsultationContent, type ContentSource } from '../../domain/consultation-content';
import { answerLimit, MAX_ANSWER_LENGTH } from '../../schemas/answer';
import { EQUALITY_FIELDS, type EqualityField } from '../../domain/equality';

/** The content in English (whatever the request's language), and what it was made from. */
const withContent = (contentSource: ContentSource) => ({ content: consultationContent(contentSource), contentSource });

export interface QuestionView {
	id: number;
	key: string;
	position: number;
	text: string;
	easyRead: string;
	byGroup: Record<string, { text: string; easyRead?: string }>;
	wordingToConfirm: boolean;
	/** Not asked of new respondents (kept for its answers). */
	hidden: boolean;
	/** The officer's hint shown under the question (from the definition), or null. */
	hint: string | null;
	/** The current wording's version: each answer records the version it was given to. */
	wordingVersion: number;
	/** The most characters an answer may have (the question's own limit, never above the installation's). */
	maxLength: number;
	/** A respondent must answer it (otherwise optional). */
	required: boolean;
}

export interface GroupView {
	code: string;
	label: string;
	easyReadLabel: string | null;
	description: string | null;
	ageMin: number | null;
	ageMax: number | null;
	/** Not offered to new respondents (kept for its answers). */
	hidden: boolean;
}

export interface ConsultationView {
	id: number;
	slug: string;
	title: string;
	organisation: string;
	description: string;
	status: 'draft' | 'open' | 'closed';
	opensAt: string | null;
	closesAt: string | null;
	privacyNotice: string;
	accessibilityStatement: string | null;
	retentionUntil: string | null;
	groups: GroupView[];
	districts: { code: string; label: string }[];
	questions: QuestionView[];
	/** Privacy notice, accessibility statement and "what happens next", complete with defaults. */
	content: ConsultationContent;
	/** What `content` is made from, to make it again in a respondent's language (consultationFor). */
	contentSource: ContentSource;
	/** The file's own words in other languages (src/lib/i18n/consultation.ts); {} when none. */
	translations: Translations;
	/** The "About you" questions this consultation asks, in the survey's order (the file's `about.asked`; default all). */
	aboutAsked: EqualityField[];
	/** The row's `updated_at` when this view was read: the consultation cache's stamp (getConsultationCached). */
	updatedAt: string;
}

/** The content fields of the stored definition file (absent or unreadable: all defaults). */
function contentFields(definition: string) {
	try {
		const parsed = consultationContentSchema.safeParse(JSON.parse(definition));
		return parsed.success ? parsed.data : {};
	} catch {
		return {};
	}
}

/** Per-question settings with no column of their own (hint, limit, required), from the stored definition. */
function questionSettingsOf(
	definition: string
): Map<string, { hint: string | null; maxLength: number; required: boolean }> {
	try {
		const questions =
			(
				JSON.parse(definition) as {
					questions?: { key?: unknown; hint?: unknown; maxLength?: unknown; required?: unknown }[];
				}
			).questions ?? [];
		return new Map(
			questions
				.filter((q) => typeof q.key === 'string')
				.map((q) => [
					q.key as string,
					{
						hint: typeof q.hint === 'string' ? q.hint : null,
						maxLength: answerLimit({ maxLength: typeof q.maxLength === 'number' ? q.maxLength : null }),
						required: q.required === true
					}
				])
		);
	} catch {
		return new Map();
	}
}

/** The "About you" questions the stored definition asks (absent or unreadable: all of them). */
function aboutAskedOf(definition: string): EqualityField[] {
	try {
		const asked = (JSON.parse(definition) as { about?: { asked?: unknown } }).about?.asked;
		if (!Array.isArray(asked)) return [...EQUALITY_FIELDS];
		return EQUALITY_FIELDS.filter((f) => asked.includes(f));
	} catch {
		return [...EQUALITY_FIELDS];
	}
}

/** The translations of the stored definition file ({} when absent or unreadable: English throughout). */
function translationsOf(definition: string): Translations {
	try {
		const parsed = translationsSchema.safeParse(JSON.parse(definition).translations ?? {});
		return parsed.success ? parsed.data : {};
	} catch {
		return {};
	}
}

/** A consultation with everything the survey and analysis need to show it, or null. */
export async function getConsultation(db: Db, slug: string): Promise<ConsultationView | null> {
	return viewOf(db, await db.selectFrom('consultation').selectAll().where('slug', '=', slug).executeTakeFirst());
}

/** The same view, found by the consultation's id (a form that names the consultation by id). */
export async function getConsultationById(db: Db, id: number): Promise<ConsultationView | null> {
	if (!Number.isSafeInteger(id)) return null;
	return viewOf(db, await db.selectFrom('consultation').selectAll().where('id', '=', id).executeTakeFirst());
}

async function viewOf(db: Db, c: Selectable<Database['consultation']> | undefined): Promise<ConsultationView | null> {
	if (!c) return null;
	const settings = questionSettingsOf(c.definition);
	const [groups, districts, questions] = await Promise.all([
		db.selectFrom('respondent_group').selectAll().where('consultation_id', '=', c.id).orderBy('position').execute(),
		db
			.selectFrom('district')
			.select(['code', 'label'])
			.where('consultation_id', '=', c.id)
			.orderBy('position')
			.execute(),
		db.selectFrom('question').selectAll().where('consultation_id', '=', c.id).orderBy('position').execute()
	]);
	return {
		id: c.id,
		slug: c.slug,
		title: c.title,
		organisation: c.organisation,
		description: c.description,
		status: c.status,
		opensAt: c.opens_at,
		closesAt: c.closes_at,
		privacyNotice: c.privacy_notice,
		accessibilityStatement: c.accessibility_statement,
		retentionUntil: c.retention_until,
		groups: groups.map((g) => ({
			code: g.code,
			label: g.label,
			easyReadLabel: g.easy_read_label,
			description: g.description,
			ageMin: g.age_min,
			ageMax: g.age_max,
			hidden: g.hidden === 1
		})),
		districts,
		questions: questions.map((q) => ({
			id: q.id,
			key: q.key,
			position: q.position,
			text: q.text,
			easyRead: q.easy_read,
			byGroup: JSON.parse(q.wording_by_group),
			wordingToConfirm: q.wording_to_confirm === 1,
			hidden: q.hidden === 1,
			hint: settings.get(q.key)?.hint ?? null,
			wordingVersion: q.wording_version,
			maxLength: settings.get(q.key)?.maxLength ?? MAX_ANSWER_LENGTH,
			required: settings.get(q.key)?.required ?? false
		})),
		aboutAsked: aboutAskedOf(c.definition),
		updatedAt: c.updated_at,
		...withContent({
			organisation: c.organisation,
			title: c.title,
			opensAt: c.opens_at,
			closesAt: c.closes_at,
			retentionUntil: c.retention_until,
			fields: contentFields(c.definition)
		}),
		translations: translationsOf(c.definition)
	};
}

export async function listConsultations(db: Db) {
	return db.selectFrom('consultation').select(['id', 'slug', 'title', 'status']).orderBy('id').execute();
}

export type OpenState = 'open' | 'not-yet-open' | 'closed' | 'draft';

/** Whether responses are accepted now: status and dates, both enforced on the server. */
export function openState(c: Pick<ConsultationView, 'status' | 'opensAt' | 'closesAt'>, now = new Date()): OpenState {
	if (c.status === 'draft') return 'draft';
	if (c.status === 'closed') return 'closed';
	const today = now.toISOString();
	if (c.opensAt && today < c.opensAt) return 'not-yet-open';
	// A bare date closes at the end of that day.
	if (c.closesAt) {
		const closes = c.closesAt.length === 10 ? `${c.closesAt}T23:59:59.999Z` : c.closesAt;
		if (today > closes) return 'closed';
	}
	return 'open';
}

/** The wording of a question for a respondent group, standard or easy read. */
export function wordingFor(q: QuestionView, group: string | null, easy: boolean): string {
	const specific = group ? q.byGroup[group] : undefined;
	if (easy) return specific?.easyRead ?? q.easyRead;
	return specific?.text ?? q.text;
}

/**
 * THE consultation cache: one copy of each consultation's view per database,
 * stamped with the row's `updated_at`. Every write that changes what the view
 * shows (upsertConsultation: a file load, a builder save or import; and a
 * lifecycle move) sets `updated_at` in the same transaction, always later than
 * before (store.ts `nextUpdatedAt`), so the stamp names one version of the view.
 *
 * - `getConsultationCached(db, slug)`: one indexed one-row query (status,
 *   dates and `updated_at`); the copy is used when its stamp is the row's, else
 *   the view is read again (4 queries). Status and dates are always the row's. Never stale, on any app instance. Survey pages,
 *   the builder and the submission path's second look use this.
 * - `getConsultationCached(db, slug, { reuseForMs })`: no query at all when this
 *   process confirmed its copy within the last `reuseForMs` ms. For the
 *   submission path only, whose writer reads the open state again inside its
 *   commit. Bounded staleness: a write made in this process drops the copy at
 *   once (`forgetConsultation`); a write made by another app instance (or by
 *   `npm run consultation -- load`) is seen here within `reuseForMs`
 *   (SUBMISSION_REUSE_MS, 5 s): until then a submission may record the
 *   previous wording version of a question reworded at that moment.
 */
interface CachedView {
	stamp: string;
	/** When this process last confirmed the stamp (Date.now()). */
	confirmedAt: number;
	view: Promise<ConsultationView | null>;
}
const cache = new WeakMap<Db, Map<string, CachedView>>();

/** How long the submission path may use a copy with no query (see getConsultationCached). */
export const SUBMISSION_REUSE_MS = 5000;

function cacheOf(db: Db): Map<string, CachedView> {
	let bySlug = cache.get(db);
	if (!bySlug) cache.set(db, (bySlug = new Map()));
	return bySlug;
}

/** The consultation's view from the one cache (see above); null when there is no such consultation. */
export async function getConsultationCached(
	db: Db,
	slug: string,
	opts: { reuseForMs?: number } = {}
): Promise<ConsultationView | null> {
	const bySlug = cacheOf(db);
	const hit = bySlug.get(slug);
	if (hit && opts.reuseForMs !== undefined && Date.now() - hit.confirmedAt < opts.reuseForMs) {
		const view = await hit.view;
		if (view) return view;
	}
	const row = await db
		.selectFrom('consultation')
		.select(['status', 'opens_at', 'closes_at', 'updated_at'])
		.where('slug', '=', slug)
		.executeTakeFirst();
	if (!row) {
		bySlug.delete(slug);
		return null;
	}
	let entry = bySlug.get(slug);
	if (entry && entry.stamp === row.updated_at) {
		entry.confirmedAt = Date.now();
	} else {
		entry = { stamp: row.updated_at, confirmedAt: Date.now(), view: getConsultation(db, slug) };
		bySlug.set(slug, entry);
		const mine = entry;
		mine.view.then(
			(v) => {
				// Read between two writes (its stamp is not the view's): not kept.
				if (!v || v.updatedAt !== mine.stamp) forget(bySlug, slug, mine);
			},
			() => forget(bySlug, slug, mine)
		);
	}
	// Never older than the row read here (it was read after it, or its stamp is the row's). Whether it is open
	// is the row's, as read now, even when someone changed it by hand without touching updated_at.
	const view = await entry.view;
	if (!view || (view.status === row.status && view.opensAt === row.opens_at && view.closesAt === row.closes_at))
		return view;
	return { ...view, status: row.status, opensAt: row.opens_at, closesAt: row.closes_at };
}

function forget(bySlug: Map<string, CachedView>, slug: string, entry: CachedView) {
	if (bySlug.get(slug) === entry) bySlug.delete(slug);
}

/** Drops this process's copies of these consultations (a write here has just committed: see getConsultationCached). */
export function forgetConsultation(db: Db, ...slugs: string[]): void {
	const bySlug = cache.get(db);
	for (const slug of slugs) bySlug?.delete(slug);
}
