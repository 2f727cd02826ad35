import type { Kysely } from 'kysely';

// Frozen: never import application code here; a later change gets a new migration.

/**
 * Answers remember their language: `language` is the language the words are in
 * (detected; 'en', 'cy', 'pl', 'ur' ...), `ui_language` the language the survey
 * was shown in. Answers not in English are left to a person to code (the theme
 * engine is trained on English only). Older answers have neither: they were all
 * taken through the English survey and are treated as English.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('answer').addColumn('language', 'text').execute();
	await db.schema.alterTable('answer').addColumn('ui_language', 'text').execute();
	await db.schema.createIndex('answer_language_idx').on('answer').column('language').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropIndex('answer_language_idx').ifExists().execute();
	await db.schema.alterTable('answer').dropColumn('ui_language').execute();
	await db.schema.alterTable('answer').dropColumn('language').execute();
}
