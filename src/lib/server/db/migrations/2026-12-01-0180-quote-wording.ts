import type { Kysely } from 'kysely';

// Frozen: never import application code here; a later change gets a new migration.

/**
 * An officer's wording of a starred quote for publication; the answer itself is never changed.
 * - span_start / span_end: the part of the (redacted) answer kept when the quote is trimmed,
 *   as character offsets into it (null: the whole answer).
 * - edited_text: the officer's own wording (null: the answer's words, or the span).
 * - edited_by / edited_at: who last changed either (every change is also audited, without texts).
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('quote').addColumn('span_start', 'integer').execute();
	await db.schema.alterTable('quote').addColumn('span_end', 'integer').execute();
	await db.schema.alterTable('quote').addColumn('edited_text', 'text').execute();
	await db.schema
		.alterTable('quote')
		.addColumn('edited_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
		.execute();
	await db.schema.alterTable('quote').addColumn('edited_at', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	for (const col of ['edited_at', 'edited_by', 'edited_text', 'span_end', 'span_start'])
		await db.schema.alterTable('quote').dropColumn(col).execute();
}
