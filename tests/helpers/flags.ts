import type { Kysely } from 'kysely';
import type { Database } from '../../src/lib/server/db/schema';
import { nowIso } from '../../src/lib/server/util/time';

/**
 * Puts an answer under safeguarding review, as the answer pipeline's flag would (a new flag, no
 * matched words): for tests of what must never show such an answer (quotes, exports, results).
 */
export async function flagAnswer(
	db: Kysely<Database>,
	answerId: number,
	level: 'review' | 'urgent' = 'review'
): Promise<void> {
	const at = nowIso();
	await db
		.insertInto('safeguarding_flag')
		.values({ answer_id: answerId, level, matches: '[]', status: 'new', updated_at: at, created_at: at })
		.execute();
}
