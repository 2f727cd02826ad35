import type { Kysely } from 'kysely';
import type { Database } from '../../src/lib/server/db/schema';
import { addLocation } from '../../src/lib/server/entry/locations';
import { startSession, type Actor, type NewSessionInput } from '../../src/lib/server/entry/sessions';

export interface EntrySessionOptions {
	/** The admin who adds the library (locations are an admin's job). */
	adminId: number;
	/** Who starts the session and types its leaves. */
	by: Actor;
	library?: { name: string; district: string };
	consultationId?: number;
	/** What the session records; defaults: 2017-06-05, library, q1, young people. */
	session?: Partial<Pick<NewSessionInput, 'date' | 'channel' | 'question' | 'group'>>;
}

/**
 * The one way tests open a face-to-face entry session: a library added through the app's
 * own `addLocation`, then a session started through `startSession` (validation and audit as
 * the entry screens do). Returns the session and location ids.
 */
export async function openEntrySession(
	db: Kysely<Database>,
	opts: EntrySessionOptions
): Promise<{ sessionId: number; locationId: number }> {
	const library = opts.library ?? { name: 'Redditch Library', district: 'redditch' };
	const consultationId =
		opts.consultationId ??
		(await db.selectFrom('consultation').select('id').orderBy('id').executeTakeFirstOrThrow()).id;
	const location = await addLocation(
		db,
		{ name: library.name, district: library.district, kind: 'library' },
		new Set([library.district]),
		opts.adminId
	);
	const sessionId = await startSession(
		db,
		{
			consultationId,
			locationId: location.id,
			date: '2017-06-05',
			channel: 'library',
			question: 'q1',
			group: 'young_person',
			...opts.session
		},
		opts.by
	);
	return { sessionId, locationId: location.id };
}
