import { addDays } from '../../src/lib/analysis/weeks';
import type { Db } from '../../src/lib/server/db/connect';

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
