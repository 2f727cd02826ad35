import type { Kysely } from 'kysely';

// Frozen: never import application code here; a later change gets a new migration.

/**
 * Indexes for the officers' analysis screens (aggregate queries over 100,000 answers):
 * - answer(reviewed_at, question_id): agreement on reviewed answers reads only those;
 * - submission(consultation_id, id, district_code, channel, created_at): the "submissions of
 *   this consultation matching the filters" sub-select, the tallies by channel, district and day,
 *   and respondent types by district are all read from this index alone;
 * - answer(question_id, submission_id): "submissions that answered question N" from the index alone;
 * - perspective(submission_id, group_code): respondent types by district without reading perspective rows;
 * - answer_theme(theme_id, applies, answer_id): "answers with theme T" (filters, uncoded answers) from the index alone;
 * - answer_theme(answer_id, applies, theme_id): the themes of each answer (theme x group tables) from the index alone.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.createIndex('answer_reviewed').on('answer').columns(['reviewed_at', 'question_id']).execute();
	await db.schema
		.createIndex('submission_consultation_id')
		.on('submission')
		.columns(['consultation_id', 'id', 'district_code', 'channel', 'created_at'])
		.execute();
	await db.schema
		.createIndex('answer_question_submission')
		.on('answer')
		.columns(['question_id', 'submission_id'])
		.execute();
	await db.schema
		.createIndex('perspective_submission_group')
		.on('perspective')
		.columns(['submission_id', 'group_code'])
		.execute();
	await db.schema
		.createIndex('answer_theme_theme_answer')
		.on('answer_theme')
		.columns(['theme_id', 'applies', 'answer_id'])
		.execute();
	await db.schema
		.createIndex('answer_theme_answer_applies')
		.on('answer_theme')
		.columns(['answer_id', 'applies', 'theme_id'])
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	for (const name of [
		'answer_reviewed',
		'submission_consultation_id',
		'answer_question_submission',
		'perspective_submission_group',
		'answer_theme_theme_answer',
		'answer_theme_answer_applies'
	]) {
		await db.schema.dropIndex(name).ifExists().execute();
	}
}
