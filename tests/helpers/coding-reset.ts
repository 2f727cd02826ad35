import { sql } from 'kysely';
import { expectRebuildUnchanged } from './aggregates';
import type { Db } from '../../src/lib/server/db/connect';

/** The codings as the bench hashes them: every row, ordered. */
export const codings = (db: Db) =>
	db
		.selectFrom('answer_theme')
		.select(['answer_id', 'theme_id', 'source', 'applies', 'confidence'])
		.orderBy('answer_id')
		.orderBy('theme_id')
		.execute();

/** Every answer with words new to the coder: no engine rows, no coded_at (the aggregates rebuilt to match). */
export async function forgetCodings(db: Db) {
	await sql`delete from answer_theme where source = 'auto'`.execute(db);
	await db.updateTable('answer').set({ coded_at: null }).where('text', 'is not', null).execute();
	await expectRebuildUnchanged(db, 'forgotten');
}
