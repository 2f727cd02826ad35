import { PostgresAdapter, sql, type Kysely, type CreateTableBuilder } from 'kysely';

// Frozen: never import application code here; a later change gets a new migration.

function isPostgres(db: Kysely<any>): boolean {
	return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** An auto-numbered integer key that both engines understand. */
function withId<T extends string>(db: Kysely<any>, table: CreateTableBuilder<T, never>) {
	return isPostgres(db)
		? table.addColumn('id', 'serial', (c) => c.primaryKey())
		: table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

export async function up(db: Kysely<any>): Promise<void> {
	await withId(db, db.schema.createTable('consultation'))
		.addColumn('slug', 'text', (c) => c.notNull().unique())
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('organisation', 'text', (c) => c.notNull())
		.addColumn('description', 'text', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft','open','closed')`))
		.addColumn('opens_at', 'text')
		.addColumn('closes_at', 'text')
		.addColumn('privacy_notice', 'text', (c) => c.notNull())
		.addColumn('accessibility_statement', 'text')
		.addColumn('retention_until', 'text')
		.addColumn('definition', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('respondent_group')
		.addColumn('consultation_id', 'integer', (c) => c.notNull().references('consultation.id').onDelete('cascade'))
		.addColumn('code', 'text', (c) => c.notNull())
		.addColumn('label', 'text', (c) => c.notNull())
		.addColumn('easy_read_label', 'text')
		.addColumn('description', 'text')
		.addColumn('age_min', 'integer')
		.addColumn('age_max', 'integer')
		.addColumn('position', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('respondent_group_pk', ['consultation_id', 'code'])
		.execute();

	await db.schema
		.createTable('district')
		.addColumn('consultation_id', 'integer', (c) => c.notNull().references('consultation.id').onDelete('cascade'))
		.addColumn('code', 'text', (c) => c.notNull())
		.addColumn('label', 'text', (c) => c.notNull())
		.addColumn('position', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('district_pk', ['consultation_id', 'code'])
		.execute();

	await withId(db, db.schema.createTable('question'))
		.addColumn('consultation_id', 'integer', (c) => c.notNull().references('consultation.id').onDelete('cascade'))
		.addColumn('key', 'text', (c) => c.notNull())
		.addColumn('position', 'integer', (c) => c.notNull())
		.addColumn('text', 'text', (c) => c.notNull())
		.addColumn('easy_read', 'text', (c) => c.notNull())
		.addColumn('wording_by_group', 'text', (c) => c.notNull().defaultTo('{}'))
		.addColumn('wording_to_confirm', 'integer', (c) => c.notNull().defaultTo(0))
		.addUniqueConstraint('question_key_unique', ['consultation_id', 'key'])
		.execute();

	await withId(db, db.schema.createTable('app_user'))
		.addColumn('email', 'text', (c) => c.notNull().unique())
		.addColumn('password_hash', 'text', (c) => c.notNull())
		.addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin','officer','entry')`))
		.addColumn('can_safeguard', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.addColumn('last_login_at', 'text')
		.execute();

	await db.schema
		.createTable('login_session')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('last_seen_at', 'text', (c) => c.notNull())
		.addColumn('expires_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('login_session_user').on('login_session').column('user_id').execute();

	await withId(db, db.schema.createTable('audit_log'))
		.addColumn('at', 'text', (c) => c.notNull())
		.addColumn('user_id', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('action', 'text', (c) => c.notNull())
		.addColumn('entity', 'text', (c) => c.notNull())
		.addColumn('entity_id', 'text')
		.addColumn('before', 'text')
		.addColumn('after', 'text')
		.addColumn('detail', 'text')
		.execute();
	await db.schema.createIndex('audit_log_entity').on('audit_log').columns(['entity', 'entity_id']).execute();

	await withId(db, db.schema.createTable('location'))
		.addColumn('name', 'text', (c) => c.notNull().unique())
		.addColumn('district_code', 'text')
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();

	await withId(db, db.schema.createTable('collection_session'))
		.addColumn('consultation_id', 'integer', (c) => c.notNull().references('consultation.id').onDelete('cascade'))
		.addColumn('location_id', 'integer', (c) => c.references('location.id'))
		.addColumn('session_date', 'text', (c) => c.notNull())
		.addColumn('channel', 'text', (c) => c.notNull())
		.addColumn('question_key', 'text')
		.addColumn('default_group', 'text')
		.addColumn('user_id', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('notes', 'text')
		.addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('collection_session_consultation')
		.on('collection_session')
		.columns(['consultation_id', 'location_id'])
		.execute();

	await db.schema
		.createTable('submission')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('consultation_id', 'integer', (c) => c.notNull().references('consultation.id').onDelete('cascade'))
		.addColumn('reference', 'text', (c) => c.notNull().unique())
		.addColumn('channel', 'text', (c) =>
			c.notNull().check(sql`channel in ('online','library','school','event','paper','import')`)
		)
		.addColumn('collection_session_id', 'integer', (c) => c.references('collection_session.id').onDelete('set null'))
		.addColumn('location_id', 'integer', (c) => c.references('location.id'))
		.addColumn('district_code', 'text')
		.addColumn('entered_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('eq_age_band', 'text', (c) => c.notNull())
		.addColumn('eq_gender', 'text', (c) => c.notNull())
		.addColumn('eq_gender_self', 'text')
		.addColumn('eq_disability', 'text', (c) => c.notNull())
		.addColumn('eq_ethnicity', 'text', (c) => c.notNull())
		.addColumn('eq_sexual_orientation', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('submission_consultation_created')
		.on('submission')
		.columns(['consultation_id', 'created_at'])
		.execute();
	await db.schema.createIndex('submission_session').on('submission').column('collection_session_id').execute();

	await withId(db, db.schema.createTable('perspective'))
		.addColumn('submission_id', 'text', (c) => c.notNull().references('submission.id').onDelete('cascade'))
		.addColumn('group_code', 'text')
		.addColumn('position', 'integer', (c) => c.notNull())
		.addUniqueConstraint('perspective_unique', ['submission_id', 'position'])
		.execute();
	await db.schema.createIndex('perspective_group').on('perspective').columns(['group_code', 'submission_id']).execute();

	await withId(db, db.schema.createTable('answer'))
		.addColumn('submission_id', 'text', (c) => c.notNull().references('submission.id').onDelete('cascade'))
		.addColumn('perspective_id', 'integer', (c) => c.notNull().references('perspective.id').onDelete('cascade'))
		.addColumn('question_id', 'integer', (c) => c.notNull().references('question.id'))
		.addColumn('text', 'text')
		.addColumn('redacted_text', 'text')
		.addColumn('pii_kinds', 'text')
		.addColumn('text_deleted_at', 'text')
		.addColumn('coded_at', 'text')
		.addColumn('reviewed_at', 'text')
		.addColumn('reviewed_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.addUniqueConstraint('answer_unique', ['perspective_id', 'question_id'])
		.execute();
	await db.schema.createIndex('answer_question').on('answer').columns(['question_id', 'perspective_id']).execute();
	await db.schema.createIndex('answer_submission').on('answer').column('submission_id').execute();

	await withId(db, db.schema.createTable('theme'))
		.addColumn('question_id', 'integer', (c) => c.notNull().references('question.id').onDelete('cascade'))
		.addColumn('code', 'text', (c) => c.notNull())
		.addColumn('label', 'text', (c) => c.notNull())
		.addColumn('description', 'text')
		.addColumn('keywords', 'text', (c) => c.notNull().defaultTo('[]'))
		.addColumn('parent_id', 'integer', (c) => c.references('theme.id').onDelete('set null'))
		.addColumn('position', 'integer', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.addUniqueConstraint('theme_code_unique', ['question_id', 'code'])
		.execute();

	await db.schema
		.createTable('answer_theme')
		.addColumn('answer_id', 'integer', (c) => c.notNull().references('answer.id').onDelete('cascade'))
		.addColumn('theme_id', 'integer', (c) => c.notNull().references('theme.id').onDelete('cascade'))
		.addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('auto','human')`))
		.addColumn('applies', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('confidence', 'real')
		.addColumn('user_id', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('answer_theme_pk', ['answer_id', 'theme_id'])
		.execute();
	await db.schema.createIndex('answer_theme_theme').on('answer_theme').columns(['theme_id', 'applies']).execute();

	await withId(db, db.schema.createTable('theme_candidate'))
		.addColumn('question_id', 'integer', (c) => c.notNull().references('question.id').onDelete('cascade'))
		.addColumn('label', 'text', (c) => c.notNull())
		.addColumn('phrases', 'text', (c) => c.notNull())
		.addColumn('size', 'integer', (c) => c.notNull())
		.addColumn('examples', 'text', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull().defaultTo('new'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('quote')
		.addColumn('theme_id', 'integer', (c) => c.notNull().references('theme.id').onDelete('cascade'))
		.addColumn('answer_id', 'integer', (c) => c.notNull().references('answer.id').onDelete('cascade'))
		.addColumn('starred_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('starred_at', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('quote_pk', ['theme_id', 'answer_id'])
		.execute();

	await withId(db, db.schema.createTable('safeguarding_flag'))
		.addColumn('answer_id', 'integer', (c) => c.notNull().unique().references('answer.id').onDelete('cascade'))
		.addColumn('level', 'text', (c) => c.notNull().check(sql`level in ('urgent','review')`))
		.addColumn('matches', 'text', (c) => c.notNull())
		.addColumn('status', 'text', (c) =>
			c
				.notNull()
				.defaultTo('new')
				.check(sql`status in ('new','reviewed','referred','no_action')`)
		)
		.addColumn('note', 'text')
		.addColumn('updated_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('safeguarding_flag_status')
		.on('safeguarding_flag')
		.columns(['status', 'level'])
		.execute();

	await db.schema
		.createTable('survey_draft')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('consultation_id', 'integer', (c) => c.notNull().references('consultation.id').onDelete('cascade'))
		.addColumn('submission_id', 'text', (c) => c.notNull())
		.addColumn('data', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('survey_draft_updated').on('survey_draft').column('updated_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	for (const t of [
		'survey_draft',
		'safeguarding_flag',
		'quote',
		'theme_candidate',
		'answer_theme',
		'theme',
		'answer',
		'perspective',
		'submission',
		'collection_session',
		'location',
		'audit_log',
		'login_session',
		'app_user',
		'question',
		'district',
		'respondent_group',
		'consultation'
	]) {
		await db.schema.dropTable(t).ifExists().execute();
	}
}
