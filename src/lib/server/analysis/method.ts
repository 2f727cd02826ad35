/**
 * "How the responses were collected", for the report: collection sessions at libraries and other venues,
 * the first and last day responses came in, and how many weeks face-to-face collection ran.
 */
import type { Db } from '../db/connect';
import type { ConsultationView } from '../consultations/queries';
import { weeksSpanned } from '../../analysis/weeks';
import { sessionsByLocation, submissionsByDayAndChannel } from './queries';
import { weekStart } from './dashboard';
import type { Scope } from './scope';

export interface CollectionMethod {
	sessions: number;
	libraries: number;
	otherVenues: number;
	f2fWeeks: number;
	firstDay: string | null;
	lastDay: string | null;
	start: string;
}

export async function collectionMethod(db: Db, c: ConsultationView, scope: Scope): Promise<CollectionMethod> {
	const [sessions, days, libraries] = await Promise.all([
		sessionsByLocation(db, scope),
		submissionsByDayAndChannel(db, scope),
		db.selectFrom('location').select('id').where('kind', '=', 'library').execute()
	]);
	const libraryIds = new Set(libraries.map((l) => String(l.id)));
	const allDays = days.flatMap((d) => (d.a ? [d.a] : [])).sort();
	return {
		sessions: sessions.reduce((s, r) => s + r.n, 0),
		libraries: sessions.filter((r) => r.key && libraryIds.has(r.key)).length,
		otherVenues: sessions.filter((r) => r.key && !libraryIds.has(r.key)).length,
		f2fWeeks: weeksSpanned(days.flatMap((d) => (d.b !== 'online' && d.a ? [d.a] : []))),
		firstDay: allDays[0] ?? null,
		lastDay: allDays.at(-1) ?? null,
		start: weekStart(c, allDays)
	};
}
