import type { ColumnType, Generated, Selectable } from 'kysely';

/**
 * The one description of the database, shared by SQLite and PostgreSQL.
 * Timestamps are ISO-8601 text and flags are 0/1 integers on both engines so
 * that every query (and every comparison of its result) behaves identically.
 */
type Id = Generated<number>;
type Flag = ColumnType<number, number | undefined, number>;

export interface ConsultationTable {
	id: Id;
	slug: string;
	title: string;
	organisation: string;
	description: string;
	status: 'draft' | 'open' | 'closed';
	opens_at: string | null;
	closes_at: string | null;
	privacy_notice: string;
	accessibility_statement: string | null;
	retention_until: string | null;
	/** The validated definition file as loaded, kept for audit and re-export. */
	definition: string;
	/** Set when a closed consultation is archived (status stays 'closed'). */
	archived_at: Generated<string | null>;
	created_at: string;
	updated_at: string;
}

export interface RespondentGroupTable {
	consultation_id: number;
	code: string;
	label: string;
	easy_read_label: string | null;
	description: string | null;
	age_min: number | null;
	age_max: number | null;
	position: number;
	/** 1: not offered to new respondents (a group with answers is hidden, never removed). */
	hidden: Flag;
}

export interface DistrictTable {
	consultation_id: number;
	code: string;
	label: string;
	position: number;
}

export interface QuestionTable {
	id: Id;
	consultation_id: number;
	key: string;
	position: number;
	text: string;
	easy_read: string;
	/** JSON object: group code -> { text, easyRead? } where the wording differs. */
	wording_by_group: string;
	wording_to_confirm: Flag;
	/** 1: not asked of new respondents (a question with answers is hidden, never removed). */
	hidden: Flag;
	/** The current wording's version (question_wording); answers record the one they were given. */
	wording_version: ColumnType<number, number | undefined, number>;
}

/** Each wording a question has had since it was first answered (version 1 is the first). */
export interface QuestionWordingTable {
	question_id: number;
	version: number;
	text: string;
	easy_read: string;
	wording_by_group: string;
	created_at: string;
	created_by: number | null;
}

export interface LocationTable {
	id: Id;
	name: string;
	district_code: string | null;
	kind: string;
	active: Flag;
	created_at: string;
}

export interface CollectionSessionTable {
	id: Id;
	consultation_id: number;
	location_id: number | null;
	session_date: string;
	channel: string;
	/** null means all questions were asked. */
	question_key: string | null;
	/** null means "not known". */
	default_group: string | null;
	user_id: number | null;
	notes: string | null;
	is_demo: Flag;
	created_at: string;
}

export interface SubmissionTable {
	/** Client-generated UUID: a resend of the same submission is never a second row. */
	id: string;
	consultation_id: number;
	/** Short code given to the respondent; used for deletion on request. */
	reference: string;
	channel: string;
	collection_session_id: number | null;
	location_id: number | null;
	/** null: not given or "I don't know". */
	district_code: string | null;
	entered_by: number | null;
	/** Who typed a leaf that entered_by explicitly took over at a staff changeover; null otherwise. */
	taken_over_from: Generated<number | null>;
	is_demo: Flag;
	/** Equality answers: an option code, or one of the sentinels in domain/equality.ts. */
	eq_age_band: string;
	eq_gender: string;
	eq_gender_self: string | null;
	eq_disability: string;
	eq_ethnicity: string;
	eq_sexual_orientation: string;
	created_at: string;
	updated_at: string;
	/**
	 * Its respondent types as a sorted key ('|child|parent_carer|'; '' for a perspective with no type;
	 * '' for none), kept by triggers on perspective (migration 2026-12-01-0500): never written by the app.
	 */
	group_set: Generated<string>;
	/**
	 * The question ids it answered, sorted ('|12|15|'; '' for none), kept by triggers on answer (migration 2026-12-05-0100);
	 * claimed at insert by storeSubmissions and checked in the same commit (migration 2026-12-09-0400).
	 */
	question_set: Generated<string>;
	/**
	 * The id the client sent, when the survey's writer keyed the row by a time-ordered id of its own instead (migration
	 * 2026-12-13-0100, submissions/client-ids.ts); null when `id` is the client's.
	 */
	client_id: string | null;
}

export interface PerspectiveTable {
	id: Id;
	submission_id: string;
	/** null: respondent group not known (face-to-face). */
	group_code: string | null;
	position: number;
	/** The question ids answered from it, sorted ('|12|15|'; '' for none), kept by triggers on answer (migration 2026-12-05-0100); claimed at insert as the submission's. */
	question_set: Generated<string>;
}

export interface AnswerTable {
	id: Id;
	submission_id: string;
	perspective_id: number;
	question_id: number;
	/** null once deleted under the retention policy (counts and themes remain). */
	text: string | null;
	redacted_text: string | null;
	/** JSON array of personal-data kinds found, e.g. ["name","phone"]. */
	pii_kinds: string | null;
	text_deleted_at: string | null;
	coded_at: string | null;
	reviewed_at: string | null;
	reviewed_by: number | null;
	/** The safeguarding screen's risk score (0..1), stored with the answer. */
	risk_score: ColumnType<number | null, number | null | undefined, number | null>;
	/** The scoring version (safeguarding/version.ts) that gave risk_score; null: before versions (rescored). */
	risk_version: ColumnType<number | null, number | null | undefined, number | null>;
	/** The learned ranker's score (0..1); null until a model has scored it. */
	model_score: ColumnType<number | null, number | null | undefined, number | null>;
	/** The question's wording version this answer was given to; null: version 1 (before versioning). */
	wording_version: ColumnType<number | null, number | null | undefined, number | null>;
	/** The language the words are in (detected, see src/lib/i18n/detect.ts); null for answers from before it was kept (English). */
	language: ColumnType<string | null, string | null | undefined, string | null>;
	/** The language the survey was shown in when the answer was given; null when not known. */
	ui_language: ColumnType<string | null, string | null | undefined, string | null>;
	created_at: string;
	updated_at: string;
}

export interface ThemeTable {
	id: Id;
	question_id: number;
	code: string;
	label: string;
	description: string | null;
	/** JSON array of keywords and phrases. */
	keywords: string;
	parent_id: number | null;
	position: number;
	status: 'active' | 'retired';
	created_at: string;
	updated_at: string;
}

export interface AnswerThemeTable {
	answer_id: number;
	theme_id: number;
	source: 'auto' | 'human';
	/** 1: the theme applies; 0: an officer removed it (kept so recoding never re-adds it). */
	applies: Flag;
	confidence: number | null;
	user_id: number | null;
	updated_at: string;
}

export interface ThemeCandidateTable {
	id: Id;
	question_id: number;
	label: string;
	phrases: string;
	size: number;
	examples: string;
	status: 'new' | 'accepted' | 'dismissed';
	created_at: string;
}

export interface QuoteTable {
	theme_id: number;
	answer_id: number;
	starred_by: number | null;
	starred_at: string;
	/** Approved for the public results page (null: staff report only). */
	public_at: string | null;
	public_by: number | null;
	/** Trimmed to this span of the redacted answer (character offsets; null: the whole answer). */
	span_start: number | null;
	span_end: number | null;
	/** The officer's wording for publication (null: the answer's own words); the answer is never changed. */
	edited_text: string | null;
	edited_by: number | null;
	edited_at: string | null;
}

export type ResultsStatus = 'draft' | 'published' | 'withdrawn';

export interface ResultsPageTable {
	consultation_id: number;
	status: ResultsStatus;
	/** The officer's short introduction (plain text). */
	summary: string | null;
	published_at: string | null;
	withdrawn_at: string | null;
	updated_at: string;
	updated_by: number | null;
}

/** One section of a report's narrative (Markdown, as the officer wrote it). */
export interface ReportSectionTable {
	consultation_id: number;
	/** 'introduction', 'method', 'findings:<question key>' or 'conclusions'. */
	key: string;
	body: string;
	updated_at: string;
	updated_by: number | null;
}

export type ActionStatus = 'planned' | 'in_progress' | 'done' | 'not_doing';

export interface ResultsActionTable {
	id: Id;
	consultation_id: number;
	theme_id: number;
	action: string;
	owner: string;
	due: string;
	status: ActionStatus;
	created_at: string;
	updated_at: string;
	updated_by: number | null;
}

export interface ShareLinkTable {
	id: Id;
	consultation_id: number;
	/** SHA-256 (hex) of the token; the token itself is shown once and never stored. */
	token_hash: string;
	label: string;
	expires_at: string;
	revoked_at: string | null;
	created_by: number | null;
	created_at: string;
}

export interface ResultsActionUpdateTable {
	id: Id;
	action_id: number;
	at: string;
	status: ActionStatus;
	note: string | null;
	user_id: number | null;
}

export interface SafeguardingFlagTable {
	id: Id;
	answer_id: number;
	level: 'urgent' | 'review';
	matches: string;
	status: 'new' | 'reviewed' | 'referred' | 'no_action';
	note: string | null;
	updated_by: number | null;
	updated_at: string;
	created_at: string;
}

/** Who read an answer, and when (first read by each person). */
export interface AnswerReadTable {
	answer_id: number;
	user_id: number;
	read_at: string;
}

/** A person's worry about an answer; note holds their words (deleted with the answer's text). */
export interface SafeguardingConcernTable {
	id: Id;
	answer_id: number;
	level: 'urgent' | 'review';
	note: string | null;
	raised_via: 'review' | 'reading' | 'entry' | 'queue';
	raised_by: number | null;
	created_at: string;
}

/** The learned ranker's weights; consultation_id null is the installation-wide model. */
export interface SafeguardingModelTable {
	id: Id;
	consultation_id: number | null;
	/** JSON of the ranker's model (see src/lib/safeguarding/ranker). */
	weights: string;
	decisions: number;
	positives: number;
	negatives: number;
	trained_at: string;
}

export interface AppUserTable {
	id: Id;
	email: string;
	password_hash: string;
	role: 'admin' | 'officer' | 'entry';
	can_safeguard: Flag;
	/** Officers who may create, edit, open and close consultations (admins always may). */
	can_manage_consultations: Flag;
	disabled: Flag;
	created_at: string;
	updated_at: string;
	last_login_at: string | null;
}

export interface LoginSessionTable {
	/** SHA-256 of the cookie token: a leaked table cannot be replayed. */
	id: string;
	user_id: number;
	created_at: string;
	last_seen_at: string;
	expires_at: string;
}

export interface AuditLogTable {
	id: Id;
	at: string;
	user_id: number | null;
	action: string;
	entity: string;
	entity_id: string | null;
	before: string | null;
	after: string | null;
	detail: string | null;
}

export interface SurveyDraftTable {
	/** Random id held in a strictly necessary cookie. */
	id: string;
	consultation_id: number;
	/** The UUID the final submission will carry, fixed when the survey starts. */
	submission_id: string;
	data: string;
	created_at: string;
	updated_at: string;
}

/** A deleted face-to-face leaf, kept for a few minutes so it can be put back ("Undo"). */
export interface EntryUndoTable {
	submission_id: string;
	collection_session_id: number;
	deleted_by: number | null;
	deleted_at: string;
	expires_at: string;
	/** JSON: what the leaf said and how it was stored (see server/entry/undo.ts). */
	snapshot: string;
}

/** One draw of machine-coded answers for an officer to check (issue #12 item 6). */
export interface SampleCheckTable {
	id: Id;
	consultation_id: number;
	seed: number;
	requested: number;
	created_by: number | null;
	created_at: string;
}

/** An answer in a sample check: the machine's theme ids when drawn, the officer's once checked. */
export interface SampleCheckItemTable {
	sample_check_id: number;
	position: number;
	answer_id: number;
	question_id: number;
	/** JSON array of theme ids the machine had given (confidence not null) at the draw. */
	machine_themes: string;
	/** JSON array of theme ids the officer says apply; null until checked. */
	officer_themes: string | null;
	status: ColumnType<
		'pending' | 'checked' | 'skipped',
		'pending' | 'checked' | 'skipped' | undefined,
		'pending' | 'checked' | 'skipped'
	>;
	checked_by: number | null;
	checked_at: string | null;
}

/** One row (id 1): bumped by triggers on every write the analysis reads (see migration 0240). */
export interface DataVersionTable {
	id: number;
	version: ColumnType<number | string | bigint, number, number>;
}

/**
 * Answers per question × wording version × reviewed × coded × has an officer's coding, kept by triggers (migration
 * 2026-12-01-0400): the method statement's counts and answers per wording. The three flags are 0 / 1.
 */
export interface AnalysisAggCodingTable {
	question_id: number;
	/** The answer's wording_version, null counted as 1. */
	wording_version: number;
	/** reviewed_at is set. */
	is_reviewed: number;
	/** coded_at is set. */
	is_coded: number;
	/** At least one answer_theme row with source 'human'. */
	has_human: number;
	n: number;
}

/** Answers per question × group × district × channel, kept by triggers (migration 2026-12-01-0220). '' = not known. */
export interface AnalysisAggAnswerTable {
	question_id: number;
	group_code: string;
	district_code: string;
	channel: string;
	n: number;
	/** Of those, answers with at least one active theme that applies. */
	coded: number;
}

/** Answers with a theme applying, per theme × group × district × channel (any theme status). */
export interface AnalysisAggThemeTable {
	theme_id: number;
	group_code: string;
	district_code: string;
	channel: string;
	n: number;
}

/** analysis_agg_answer with the day of the answer's submission in the key (migration 2026-12-12-0500). */
export interface AnalysisAggAnswerDayTable extends AnalysisAggAnswerTable {
	day: string;
}

/** analysis_agg_theme with the day of the answer's submission in the key (migration 2026-12-12-0500). */
export interface AnalysisAggThemeDayTable extends AnalysisAggThemeTable {
	day: string;
}

/** Submissions per consultation × district × channel × location × day (migration 2026-12-01-0300; '' / 0 = not known). */
export interface AnalysisAggSubmissionTable {
	consultation_id: number;
	district_code: string;
	channel: string;
	/** 0: no location. */
	location_id: number;
	/** YYYY-MM-DD of created_at. */
	day: string;
	n: number;
	/** Of those, demo rows. */
	demo: number;
}

/** Perspectives per consultation × respondent group × district × channel. */
export interface AnalysisAggPerspectiveTable {
	consultation_id: number;
	group_code: string;
	district_code: string;
	channel: string;
	n: number;
}

/** Submissions per consultation × combination of the five equality answers. */
/** Submissions per set of respondent types × district × channel × location × day (migration 2026-12-01-0500). */
export interface AnalysisAggGroupSetTable {
	consultation_id: number;
	group_set: string;
	district_code: string;
	channel: string;
	location_id: number;
	day: string;
	n: number;
}

/** Answers with words from children and young people per question × day, and how many a person has read (migration 2026-12-02-0200). */
export interface AnalysisAggReadingTable {
	question_id: number;
	day: string;
	n: number;
	n_read: number;
}

/** Submissions per question set × group set × district × channel × location × day (migration 2026-12-05-0100). */
export interface AnalysisAggQuestionSetTable {
	consultation_id: number;
	question_set: string;
	group_set: string;
	district_code: string;
	channel: string;
	location_id: number;
	day: string;
	n: number;
}

/** Perspectives per question set × group × district × channel (migration 2026-12-05-0100). */
export interface AnalysisAggQuestionSetPerspectiveTable {
	consultation_id: number;
	question_set: string;
	group_code: string;
	district_code: string;
	channel: string;
	n: number;
}

/**
 * The five equality answers as an aggregate table keys them (the submission's columns less eq_gender_self;
 * aggregate-sql.ts EQUALITY_COLUMNS names them for the SQL).
 */
interface EqualityCell {
	eq_age_band: string;
	eq_gender: string;
	eq_disability: string;
	eq_ethnicity: string;
	eq_sexual_orientation: string;
}

/** Submissions per question set × group set × district × the five equality answers (migration 2026-12-05-0110). */
export interface AnalysisAggQuestionSetEqualityTable extends EqualityCell {
	consultation_id: number;
	question_set: string;
	group_set: string;
	district_code: string;
	n: number;
}

/** analysis_agg_question_set without the group set (migration 2026-12-12-0900). */
export type AnalysisAggQuestionSetTotalTable = Omit<AnalysisAggQuestionSetTable, 'group_set'>;

/** Submissions per question set × the five equality answers (migration 2026-12-12-0900). */
export interface AnalysisAggQuestionSetEqualityTotalTable extends EqualityCell {
	consultation_id: number;
	question_set: string;
	n: number;
}

/** What every theme-cube table has (migration 2026-12-11-0300): the theme, its consultation, the count. */
interface ThemeCubeCell {
	consultation_id: number;
	theme_id: number;
	n: number;
}

/** The kept theme cube (migration 2026-12-11-0300): submissions per theme × question set × district × channel × location × day. */
export interface AnalysisAggThemeSubmissionTable extends ThemeCubeCell {
	question_set: string;
	district_code: string;
	channel: string;
	location_id: number;
	day: string;
}

/** Submissions per theme × question set × the five equality answers (migration 2026-12-11-0300). */
export interface AnalysisAggThemeEqualityTable extends ThemeCubeCell, EqualityCell {
	question_set: string;
}

/** Perspectives per theme × the perspective's question set × group × district × channel (migration 2026-12-11-0300). */
export interface AnalysisAggThemePerspectiveTable extends ThemeCubeCell {
	question_set: string;
	group_code: string;
	district_code: string;
	channel: string;
}

/** Applying codings per theme × question × district × channel (migration 2026-12-11-0300). */
export interface AnalysisAggThemeQuestionTable extends ThemeCubeCell {
	question_id: number;
	district_code: string;
	channel: string;
}

/** Answers with words per question × language ('en' for null) × reviewed (migration 2026-12-04-0200). */
export interface AnalysisAggLanguageTable {
	question_id: number;
	language: string;
	is_reviewed: number;
	n: number;
}

/** Reviewed answers per question × group × district × channel ('' = not known; migration 2026-12-09-0200). */
export interface AnalysisAggReviewTable {
	question_id: number;
	group_code: string;
	district_code: string;
	channel: string;
	n: number;
}

/** Submissions per set of respondent types × district × the five equality answers (migration 2026-12-01-0500). */
export interface AnalysisAggGroupSetChannelEqualityTable extends EqualityCell {
	consultation_id: number;
	group_set: string;
	district_code: string;
	channel: string;
	n: number;
}

/** Submissions per group set × district × channel × equality field × value (migration 2026-12-11-0600). */
/** One row per coding that applies, with its answer's respondent type ('' not known): migration 2026-12-11-1100. */
export interface AnalysisAggQuoteOrderTable {
	answer_id: number;
	theme_id: number;
	group_code: string;
	/** coalesce(confidence, 1): the quote order's key. */
	conf: number;
	confidence: number | null;
	source: 'auto' | 'human';
}

export interface AnalysisAggGroupSetEqualityMarginTable {
	consultation_id: number;
	group_set: string;
	district_code: string;
	channel: string;
	field: string;
	value: string;
	n: number;
}

export interface AnalysisAggGroupSetEqualityTable extends EqualityCell {
	consultation_id: number;
	group_set: string;
	district_code: string;
	n: number;
}

export interface AnalysisAggEqualityTable extends EqualityCell {
	consultation_id: number;
	n: number;
}

/** rate-limiter-flexible's PostgreSQL store (keys are keyed hashes, never addresses). */
export interface RateLimitTable {
	key: string;
	points: number;
	expire: number | null;
}

export interface InstallationSecretTable {
	name: string;
	value: string;
}

/** An import's parsed upload between preview and commit, and its commit's progress (any instance reads it). */
/** Tables still to be rewritten (VACUUM FULL) after a purge on PostgreSQL (retention/purge.ts). */
export interface ReclaimPendingTable {
	table_name: string;
	since: string;
	attempts: Generated<number>;
}

export interface ImportPreviewTable {
	token: string;
	user_id: number;
	consultation_id: number;
	filename: string;
	hash: string;
	/** The ParsedSheet as JSON; null once committed (only the commit's progress is kept). */
	sheet: string | null;
	chars: number;
	/** Milliseconds since the epoch. */
	expires_at: ColumnType<number, number, number>;
	job_status: 'running' | 'done' | 'failed' | null;
	job_total: ColumnType<number, number | undefined, number>;
	job_done: ColumnType<number, number | undefined, number>;
	/** The commit's result as JSON. */
	job_result: string | null;
	job_error: string | null;
}

/** Background coding work, claimed by one instance at a time under a lease (see coding/queue.ts). */
export interface CodingJobTable {
	id: Generated<number>;
	/** 'uncoded' or 'question:<id>': one row per piece of work. */
	job_key: string;
	kind: 'uncoded' | 'question';
	question_id: number | null;
	/** Bumped when the work is asked for again while it runs, so it runs once more afterwards. */
	requested: ColumnType<number, number | undefined, number>;
	claimed_by: string | null;
	/** Milliseconds since the epoch; a claim whose lease has passed may be taken by another instance. */
	lease_until: number | null;
	runs: ColumnType<number, number | undefined, number>;
}

/** Work one instance at a time does, held under a lease (migration 2026-12-02-0400; see jobs/lease.ts). */
export interface BackgroundLeaseTable {
	name: string;
	/** The instance holding it (coding/queue.ts INSTANCE_ID). */
	holder: string;
	/** Milliseconds since the epoch; once passed, another instance may take it. */
	lease_until: number;
}

/** How far the background recode of a question has got (resumed after a restart; migration 0270). */
export interface CodingProgressTable {
	question_id: number;
	/** Hash of the coder's codebook and training set: progress counts only for the same coder. */
	signature: string;
	/** Every answer with an id up to this one has been recoded. */
	after_id: number;
	done: number;
	updated_at: string;
}

export interface Database {
	coding_progress: CodingProgressTable;
	consultation: ConsultationTable;
	respondent_group: RespondentGroupTable;
	district: DistrictTable;
	question: QuestionTable;
	question_wording: QuestionWordingTable;
	location: LocationTable;
	collection_session: CollectionSessionTable;
	submission: SubmissionTable;
	perspective: PerspectiveTable;
	answer: AnswerTable;
	theme: ThemeTable;
	answer_theme: AnswerThemeTable;
	theme_candidate: ThemeCandidateTable;
	quote: QuoteTable;
	safeguarding_flag: SafeguardingFlagTable;
	answer_read: AnswerReadTable;
	safeguarding_concern: SafeguardingConcernTable;
	safeguarding_model: SafeguardingModelTable;
	app_user: AppUserTable;
	login_session: LoginSessionTable;
	audit_log: AuditLogTable;
	survey_draft: SurveyDraftTable;
	entry_undo: EntryUndoTable;
	sample_check: SampleCheckTable;
	sample_check_item: SampleCheckItemTable;
	results_page: ResultsPageTable;
	results_action: ResultsActionTable;
	results_action_update: ResultsActionUpdateTable;
	share_link: ShareLinkTable;
	data_version: DataVersionTable;
	analysis_agg_answer: AnalysisAggAnswerTable;
	analysis_agg_theme: AnalysisAggThemeTable;
	analysis_agg_answer_day: AnalysisAggAnswerDayTable;
	analysis_agg_theme_day: AnalysisAggThemeDayTable;
	analysis_agg_submission: AnalysisAggSubmissionTable;
	analysis_agg_perspective: AnalysisAggPerspectiveTable;
	analysis_agg_equality: AnalysisAggEqualityTable;
	analysis_agg_coding: AnalysisAggCodingTable;
	analysis_agg_group_set: AnalysisAggGroupSetTable;
	analysis_agg_group_set_equality: AnalysisAggGroupSetEqualityTable;
	analysis_agg_group_set_channel_equality: AnalysisAggGroupSetChannelEqualityTable;
	analysis_agg_group_set_equality_margin: AnalysisAggGroupSetEqualityMarginTable;
	analysis_agg_quote_order: AnalysisAggQuoteOrderTable;
	analysis_agg_reading: AnalysisAggReadingTable;
	analysis_agg_language: AnalysisAggLanguageTable;
	analysis_agg_review: AnalysisAggReviewTable;
	analysis_agg_question_set: AnalysisAggQuestionSetTable;
	analysis_agg_question_set_perspective: AnalysisAggQuestionSetPerspectiveTable;
	analysis_agg_question_set_equality: AnalysisAggQuestionSetEqualityTable;
	analysis_agg_question_set_total: AnalysisAggQuestionSetTotalTable;
	analysis_agg_question_set_equality_total: AnalysisAggQuestionSetEqualityTotalTable;
	analysis_agg_theme_submission: AnalysisAggThemeSubmissionTable;
	analysis_agg_theme_equality: AnalysisAggThemeEqualityTable;
	analysis_agg_theme_perspective: AnalysisAggThemePerspectiveTable;
	analysis_agg_theme_question: AnalysisAggThemeQuestionTable;
	rate_limit: RateLimitTable;
	installation_secret: InstallationSecretTable;
	import_preview: ImportPreviewTable;
	reclaim_pending: ReclaimPendingTable;
	coding_job: CodingJobTable;
	background_lease: BackgroundLeaseTable;
	report_section: ReportSectionTable;
}

export type Consultation = Selectable<ConsultationTable>;
export type Question = Selectable<QuestionTable>;
export type Submission = Selectable<SubmissionTable>;
export type Answer = Selectable<AnswerTable>;
export type Theme = Selectable<ThemeTable>;
