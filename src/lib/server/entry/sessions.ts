import { NOT_KNOWN, ALL_QUESTIONS, type NewSessionInput } from '../../schemas/entry';
import type { Db } from '../db/connect';
import type { Role } from '../auth/guard';
import { FACE_TO_FACE_CHANNELS } from '../../domain/channels';
import { audit } from '../audit/index';
import { nowIso } from '../util/time';

export interface Actor {
	id: number;
	role: Role;
}

/** Officers and admins see and manage every session; entry staff only their own. */
export function seesAllSessions(actor: Actor): boolean {
	return actor.role === 'admin' || actor.role === 'officer';
}

export const ENTRY_CHANNELS = FACE_TO_FACE_CHANNELS;
export type EntryChannel = (typeof ENTRY_CHANNELS)[number];

export { NOT_KNOWN, ALL_QUESTIONS, newSessionSchema, type NewSessionInput } from '../../schemas/entry';

export interface SessionView {
	id: number;
	consultationId: number;
	consultationSlug: string;
	consultationTitle: string;
	locationId: number | null;
	locationName: string | null;
	locationDistrict: string | null;
	date: string;
	channel: string;
	questionKey: string | null;
	defaultGroup: string | null;
	userId: number | null;
	userEmail: string | null;
	entries: number;
	createdAt: string;
}

function baseQuery(db: Db) {
	return db
		.selectFrom('collection_session as s')
		.innerJoin('consultation as c', 'c.id', 's.consultation_id')
		.leftJoin('location as l', 'l.id', 's.location_id')
		.leftJoin('app_user as u', 'u.id', 's.user_id')
		.select((eb) => [
			's.id',
			's.consultation_id',
			'c.slug',
			'c.title',
			's.location_id',
			'l.name as location_name',
			'l.district_code as location_district',
			's.session_date',
			's.channel',
			's.question_key',
			's.default_group',
			's.user_id',
			'u.email as user_email',
			's.created_at',
			eb
				.selectFrom('submission')
				.select((e) => e.fn.countAll().as('n'))
				.whereRef('submission.collection_session_id', '=', 's.id')
				.as('entries')
		]);
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>;

function view(r: Row): SessionView {
	return {
		id: r.id,
		consultationId: r.consultation_id,
		consultationSlug: r.slug,
		consultationTitle: r.title,
		locationId: r.location_id,
		locationName: r.location_name,
		locationDistrict: r.location_district,
		date: r.session_date,
		channel: r.channel,
		questionKey: r.question_key,
		defaultGroup: r.default_group,
		userId: r.user_id,
		userEmail: r.user_email,
		entries: Number(r.entries ?? 0),
		createdAt: r.created_at
	};
}

/** The sessions a member of staff may work on, newest first (demo sessions left out). */
export async function listSessions(db: Db, actor: Actor, opts: { limit?: number } = {}): Promise<SessionView[]> {
	let q = baseQuery(db).where('s.is_demo', '=', 0);
	if (!seesAllSessions(actor)) q = q.where('s.user_id', '=', actor.id);
	const rows = await q
		.orderBy('s.session_date', 'desc')
		.orderBy('s.id', 'desc')
		.limit(opts.limit ?? 200)
		.execute();
	return rows.map(view);
}

/** One session, whoever it belongs to (for a take-over, which never writes into it). */
export async function findSession(db: Db, id: number): Promise<SessionView | null> {
	if (!Number.isSafeInteger(id) || id <= 0) return null;
	const row = await baseQuery(db).where('s.id', '=', id).executeTakeFirst();
	return row ? view(row) : null;
}

export type SessionAccess = { ok: true; session: SessionView } | { ok: false; reason: 'not-found' | 'not-yours' };

/** One session, if it exists and this member of staff may work on it. */
export async function sessionFor(db: Db, id: number, actor: Actor): Promise<SessionAccess> {
	if (!Number.isSafeInteger(id) || id <= 0) return { ok: false, reason: 'not-found' };
	const row = await baseQuery(db).where('s.id', '=', id).executeTakeFirst();
	if (!row) return { ok: false, reason: 'not-found' };
	const session = view(row);
	if (!seesAllSessions(actor) && session.userId !== actor.id) return { ok: false, reason: 'not-yours' };
	return { ok: true, session };
}

export class SessionInputError extends Error {
	constructor(readonly errors: Record<string, string>) {
		super(Object.values(errors).join('; '));
	}
}

/** Starts a collection session, checking the consultation, location, question and group exist. */
export async function startSession(db: Db, input: NewSessionInput, actor: Actor): Promise<number> {
	const errors: Record<string, string> = {};
	const consultation = await db
		.selectFrom('consultation')
		.select('id')
		.where('id', '=', input.consultationId)
		.executeTakeFirst();
	if (!consultation) errors.consultationId = 'Choose a consultation from the list';
	const location = await db
		.selectFrom('location')
		.select(['id', 'active'])
		.where('id', '=', input.locationId)
		.executeTakeFirst();
	if (!location) errors.locationId = 'Choose a location from the list';
	let questionKey: string | null = null;
	let group: string | null = null;
	if (consultation) {
		if (input.question !== ALL_QUESTIONS) {
			const q = await db
				.selectFrom('question')
				.select('key')
				.where('consultation_id', '=', consultation.id)
				.where('key', '=', input.question)
				.executeTakeFirst();
			if (!q) errors.question = `Unknown question "${input.question}"`;
			questionKey = input.question;
		}
		if (input.group !== NOT_KNOWN) {
			const g = await db
				.selectFrom('respondent_group')
				.select('code')
				.where('consultation_id', '=', consultation.id)
				.where('code', '=', input.group)
				.executeTakeFirst();
			if (!g) errors.group = `Unknown respondent group "${input.group}"`;
			group = input.group;
		}
	}
	if (Object.keys(errors).length > 0) throw new SessionInputError(errors);
	return createSession(
		db,
		{
			consultationId: input.consultationId,
			locationId: input.locationId,
			date: input.date,
			channel: input.channel,
			questionKey,
			group
		},
		actor
	);
}

/**
 * The taker's own session for the same consultation, place, date, way of
 * collecting, question and usual group as `source`, started (and audited) if they
 * have none. Leaves taken over at a staff changeover go there, so they are
 * counted where they were collected and the taker can edit them.
 */
export async function ownMatchingSession(db: Db, source: SessionView, actor: Actor): Promise<number> {
	if (source.userId === actor.id) return source.id;
	const existing = await db
		.selectFrom('collection_session')
		.select('id')
		.where('consultation_id', '=', source.consultationId)
		.where((eb) =>
			source.locationId === null ? eb('location_id', 'is', null) : eb('location_id', '=', source.locationId)
		)
		.where('session_date', '=', source.date)
		.where('channel', '=', source.channel)
		.where((eb) =>
			source.questionKey === null ? eb('question_key', 'is', null) : eb('question_key', '=', source.questionKey)
		)
		.where((eb) =>
			source.defaultGroup === null ? eb('default_group', 'is', null) : eb('default_group', '=', source.defaultGroup)
		)
		.where('user_id', '=', actor.id)
		.where('is_demo', '=', 0)
		.orderBy('id')
		.executeTakeFirst();
	if (existing) return existing.id;
	const fields = {
		consultationId: source.consultationId,
		locationId: source.locationId,
		date: source.date,
		channel: source.channel,
		questionKey: source.questionKey,
		group: source.defaultGroup
	};
	return createSession(db, fields, actor, { takeOverOf: source.id });
}

interface NewSession {
	consultationId: number;
	locationId: number | null;
	date: string;
	channel: string;
	questionKey: string | null;
	group: string | null;
}

/** Inserts a collection session and its `session.create` audit row in one transaction. */
async function createSession(db: Db, f: NewSession, actor: Actor, detail?: Record<string, unknown>): Promise<number> {
	return db.transaction().execute(async (tx) => {
		const row = await tx
			.insertInto('collection_session')
			.values({
				consultation_id: f.consultationId,
				location_id: f.locationId,
				session_date: f.date,
				channel: f.channel,
				question_key: f.questionKey,
				default_group: f.group,
				user_id: actor.id,
				notes: null,
				is_demo: 0,
				created_at: nowIso()
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await audit(tx, {
			userId: actor.id,
			action: 'session.create',
			entity: 'collection_session',
			entityId: row.id,
			after: { ...f },
			...(detail ? { detail } : {})
		});
		return row.id;
	});
}
