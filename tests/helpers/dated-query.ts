import { addDays } from '../../src/lib/analysis/weeks';
import type { Db } from '../../src/lib/server/db/connect';
import type { TableData } from '../../src/lib/analysis/tables';
import { dashboardTables } from '../../src/lib/server/analysis/registry';
import { analysisFilters, scopeOf } from '../../src/lib/server/analysis/scope';
import type { ConsultationView } from '../../src/lib/server/consultations/queries';
import { logged } from './statement-log';

/** The day of a consultation's first submission (YYYY-MM-DD). */
export async function firstDay(db: Db, consultationId: number): Promise<string> {
	const first = await db
		.selectFrom('submission')
		.select((e) => e.fn.min('created_at').as('first'))
		.where('consultation_id', '=', consultationId)
		.executeTakeFirstOrThrow();
	return String(first.first).slice(0, 10);
}

/** A view's query for weeks 3–4 from the first submission's day, snapped to whole weeks as the pages do, with `extra`. */
export async function weeks3to4(db: Db, consultationId: number, extra: string): Promise<string> {
	const day = await firstDay(db, consultationId);
	return `from=${addDays(day, 14)}&to=${addDays(day, 27)}${extra ? '&' + extra : ''}`;
}

/** One request's dashboard for the query string `qs`, one JSON string per table (to compare two runs exactly). */
export async function dashboardJson(db: Db, c: ConsultationView, qs: string): Promise<string[]> {
	const filters = await analysisFilters(db, c, new URLSearchParams(qs));
	const tables: TableData[] = await dashboardTables(db, c, filters, '/b', scopeOf(c, filters));
	return tables.map((t) => JSON.stringify(t));
}

/**
 * A view computed with the switch `name` off and then on (unset), with the statements each run made; once per query
 * string (memoised: a file's tests ask for the same views again, and each pair costs seconds of CI time).
 */
export function switchPairs<T>(name: string, db: () => Db, view: (qs: string, db: Db) => Promise<T>) {
	const pairs = new Map<string, Promise<{ off: T; on: T; seenOff: string[]; seenOn: string[] }>>();
	const pair = async (qs: string) => {
		const seenOff: string[] = [];
		const seenOn: string[] = [];
		process.env[name] = 'off';
		const off = await view(qs, logged(db(), seenOff));
		delete process.env[name];
		const on = await view(qs, logged(db(), seenOn));
		return { off, on, seenOff, seenOn };
	};
	return (qs: string) => {
		if (!pairs.has(qs)) pairs.set(qs, pair(qs));
		return pairs.get(qs)!;
	};
}
