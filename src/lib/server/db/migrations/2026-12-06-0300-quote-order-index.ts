import { sql, type Kysely } from 'kysely';

// Frozen: never import application code here; a later change gets a new migration.

/**
 * The quotes page at national scale (issue #19): each theme's candidate quotes are its answers in order of the
 * coder's confidence (none counts as 1), most confident first, then by answer. Without a fitting index both engines
 * read every answer with the theme and sorted them all to keep the first 400 (at 1,000,000 answers, hundreds of
 * thousands per theme: 1.5 s for one question's themes). answer_theme_quote_order holds that order per theme, so
 * the page reads the first candidates and stops.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await sql`create index answer_theme_quote_order on answer_theme (theme_id, applies, (coalesce(confidence, 1)) desc, answer_id)`.execute(
		db
	);
}
