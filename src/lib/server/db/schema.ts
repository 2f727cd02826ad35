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
}

export interface PerspectiveTable {
	id: Id;
	submission_id: string;
	/** null: respondent group not known (face-to-face). */
	group_code: string | null;
	position: number;
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
	/** The learned ranker's score (0..1); null until a model has scored it. */
	model_score: ColumnType<number | null, number | null | undefined, number | null>;
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

export interface Database {
	consultation: ConsultationTable;
	respondent_group: RespondentGroupTable;
	district: DistrictTable;
	question: QuestionTable;
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
}

export type Consultation = Selectable<ConsultationTable>;
export type Question = Selectable<QuestionTable>;
export type Submission = Selectable<SubmissionTable>;
export type Answer = Selectable<AnswerTable>;
export type Theme = Selectable<ThemeTable>;
