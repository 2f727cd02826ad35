import { sql } from 'kysely';
import type { FreshDb } from './databases';

/**
 * A statement's plan as text: PostgreSQL's EXPLAIN with sequential scans off (whether an index can serve it), SQLite's
 * EXPLAIN QUERY PLAN details.
 */
export async function planOf(db: FreshDb, engine: 'sqlite' | 'postgres', statement: string): Promise<string> {
	if (engine === 'postgres') {
		// The test database is tiny: ask which index can serve it, not whether the planner prefers it to a scan.
		return db.db.connection().execute(async (c) => {
			await sql`set enable_seqscan = off`.execute(c);
			try {
				const { rows } = await sql<{ 'QUERY PLAN': string }>`explain ${sql.raw(statement)}`.execute(c);
				return rows.map((r) => r['QUERY PLAN']).join('\n');
			} finally {
				await sql`reset enable_seqscan`.execute(c);
			}
		});
	}
	const { rows } = await sql<{ detail: string }>`explain query plan ${sql.raw(statement)}`.execute(db.db);
	return rows.map((r) => r.detail).join('\n');
}

/**
 * PostgreSQL plans on an empty table are ties between any index on the right leading column (which one wins can
 * follow the indexes' creation order, not their fit), so the plan checks give the test database some shape first:
 * `submissions` online submissions to the shipped consultation, two perspectives each answering every question,
 * spread over `days` days, then VACUUM ANALYZE (statistics, and the visibility map an index-only scan needs).
 * SQLite's plans here come from its rules without statistics, as the tests' databases have none.
 */
export async function givePlanShape(
	db: FreshDb,
	engine: 'sqlite' | 'postgres',
	{ submissions = 400, days = 40 } = {}
): Promise<void> {
	const [{ randomUUID }, { getConsultation }, { storeSubmissions }, { SHIPPED_SLUG }] = await Promise.all([
		import('node:crypto'),
		import('../../src/lib/server/consultations/queries'),
		import('../../src/lib/server/submissions/save'),
		import('../../src/lib/domain/shipped-consultation')
	]);
	const c = (await getConsultation(db.db, SHIPPED_SLUG))!;
	const start = Date.parse('2026-11-01T09:00:00Z');
	for (let from = 0; from < submissions; from += 50) {
		const items = Array.from({ length: Math.min(50, submissions - from) }, (_, k) => {
			const i = from + k;
			const answers = Object.fromEntries(c.questions.map((q) => [q.key, `Answer ${i} to ${q.key}: somewhere to go`]));
			return {
				consultation: c,
				input: {
					id: randomUUID(),
					district: 'wychavon',
					perspectives: [
						{ group: 'young_person', answers },
						{ group: 'parent_carer', answers }
					],
					about: { ageBand: '18-24' }
				} as never,
				meta: {
					channel: 'online' as const,
					createdAt: new Date(start + Math.floor((i * days * 86_400_000) / submissions)).toISOString()
				}
			};
		});
		await db.db.transaction().execute((tx) => storeSubmissions(tx, items));
	}
	if (engine === 'postgres')
		for (const table of ['submission', 'perspective', 'answer'])
			await sql.raw(`vacuum analyze ${table}`).execute(db.db);
}
