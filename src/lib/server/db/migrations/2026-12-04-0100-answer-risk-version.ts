import type { Kysely } from 'kysely';

// Frozen: never import application code here; a later change gets a new migration.

/**
 * answer.risk_version: which scoring version (src/lib/safeguarding/version.ts, SCORING_VERSION) gave the stored
 * risk_score. Null for every answer stored before it: the server rescores answers whose version is null or lower
 * than its own in the background, a batch at a time under a lease (server/safeguarding/ranker.ts), so the reading
 * list is ordered by current scores after the screen or its built-in model changes.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('answer').addColumn('risk_version', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('answer').dropColumn('risk_version').execute();
}
