import fs from 'node:fs';
import path from 'node:path';
import { error } from '@sveltejs/kit';
import type { Transaction } from 'kysely';
import { requireConsultationManager, type SessionUser } from '../auth/guard';
import type { Db } from '../db/connect';
import type { Database } from '../db/schema';
import { consultationFileSchema, type ConsultationFile } from '../../schemas/consultation-file';
import { nextUpdatedAt, upsertConsultation } from './store';
import { forgetConsultation } from './queries';
import { DEFAULT_CONSULTATIONS_DIR, withoutNpmBanner } from './definition';
import { audit } from '../audit/index';
import { fieldIdOf } from '../../domain/consultation-form';
import type { z } from 'zod';
import { MAX_ANSWER_LENGTH } from '../../schemas/answer';

/**
 * The consultation builder's writes: save a definition (created or edited in
 * the browser, or imported from a file), duplicate, open, close and archive.
 * Every definition goes through consultationFileSchema, the schema of the
 * consultation JSON file, so what the builder saves is always a loadable file
 * and a file is always something the builder can edit.
 */

/** A refusal with the page field it is about (its id on the builder page) and a message for the officer. */
export class BuilderError extends Error {
	constructor(
		message: string,
		readonly field: string = 'form'
	) {
		super(message);
	}
}

export type Lifecycle = 'draft' | 'open' | 'closed' | 'archived';

/** Which moves an officer may make: draft → open → closed → archived, and reopening a closed one. */
const MOVES: Record<Lifecycle, Lifecycle[]> = {
	draft: ['open'],
	open: ['closed'],
	closed: ['open', 'archived'],
	archived: []
};

export function lifecycleOf(row: { status: 'draft' | 'open' | 'closed'; archived_at: string | null }): Lifecycle {
	return row.archived_at ? 'archived' : row.status;
}

export function movesFrom(state: Lifecycle): Lifecycle[] {
	return MOVES[state];
}

/** zod's problems as one message per builder field, in words an officer understands. */
export function builderErrors(error: z.ZodError): Record<string, string> {
	const out: Record<string, string> = {};
	for (const issue of error.issues) {
		const id = fieldIdOf(issue.path);
		const empty = issue.code === 'too_small' && issue.origin === 'string';
		const [top, index, field] = issue.path;
		if (top === 'questions' && typeof index === 'number' && field === 'maxLength') {
			out[id] ??=
				`Enter the character limit of question ${index + 1} as a whole number from 1 to ${MAX_ANSWER_LENGTH.toLocaleString('en-GB')}`;
			continue;
		}
		out[id] ??= empty
			? `Enter ${describeField(issue.path)}`
			: `${capitalise(describeField(issue.path))} ${issue.message}`;
	}
	return out;
}

/** A definition (the builder's draft on top of the stored one, a translation, a file) checked by the one schema. */
export function checkedDefinition(
	input: unknown
): { ok: true; definition: ConsultationFile } | { ok: false; errors: Record<string, string> } {
	const parsed = consultationFileSchema.safeParse(input);
	return parsed.success ? { ok: true, definition: parsed.data } : { ok: false, errors: builderErrors(parsed.error) };
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function describeField(p: readonly PropertyKey[]): string {
	const names: Record<string, string> = {
		slug: 'the web address name',
		title: 'the title',
		organisation: 'the organisation',
		description: 'the description',
		privacyNotice: 'the privacy notice',
		accessibilityStatement: 'the accessibility statement',
		opensAt: 'the opening date',
		closesAt: 'the closing date',
		retentionUntil: 'the date answers are kept until',
		districts: 'the areas',
		code: 'code',
		label: 'label',
		easyReadLabel: 'easy read label',
		key: 'key',
		text: 'wording',
		easyRead: 'easy read wording',
		hint: 'hint'
	};
	const [top, index, field, group, part] = p;
	if (top === 'groups' && typeof index === 'number')
		return field ? `the ${names[String(field)] ?? String(field)} of group ${index + 1}` : `group ${index + 1}`;
	if (top === 'questions' && typeof index === 'number') {
		if (field === 'byGroup')
			return `the ${names[String(part)] ?? 'wording'} of question ${index + 1} for group "${String(group)}"`;
		return field ? `the ${names[String(field)] ?? String(field)} of question ${index + 1}` : `question ${index + 1}`;
	}
	if (top === 'questions') return 'the questions';
	if (top === 'groups') return 'the groups';
	return names[String(top)] ?? String(top ?? 'the consultation');
}

/** The stored definition, with the lifecycle status the database holds now. */
export async function storedDefinition(db: Db, slug: string): Promise<ConsultationFile | null> {
	const row = await db
		.selectFrom('consultation')
		.select(['definition', 'status'])
		.where('slug', '=', slug)
		.executeTakeFirst();
	if (!row) return null;
	const parsed = consultationFileSchema.safeParse(JSON.parse(row.definition));
	if (!parsed.success) return null;
	return { ...parsed.data, status: row.status };
}

/**
 * What every builder page, action and download of one consultation starts
 * with: the "manage consultations" permission (403 otherwise), then the stored
 * definition (404 when there is no such consultation).
 */
export async function consultationToEdit(
	event: Parameters<typeof requireConsultationManager>[0] & { params: { slug: string } }
): Promise<{ user: SessionUser; def: ConsultationFile }> {
	const user = requireConsultationManager(event);
	const def = await storedDefinition(event.locals.db, event.params.slug);
	if (!def) error(404, 'There is no such consultation.');
	return { user, def };
}

/**
 * A definition as a file: the schema's own key order, tab indents and a
 * final newline, so exporting what an import stored gives the same bytes.
 */
export function definitionText(def: ConsultationFile): string {
	return `${JSON.stringify(consultationFileSchema.parse(def), null, '\t')}\n`;
}

/** Parses a file's text with the one schema; the error names the field. */
export function parseDefinitionText(
	text: string
): { ok: true; definition: ConsultationFile } | { ok: false; errors: Record<string, string> } {
	let json: unknown;
	try {
		json = JSON.parse(withoutNpmBanner(text));
	} catch (error) {
		return { ok: false, errors: { file: `The file is not valid JSON: ${(error as Error).message}` } };
	}
	const checked = checkedDefinition(json);
	if (!checked.ok)
		return {
			ok: false,
			errors: { file: `The file is not a consultation: ${Object.values(checked.errors).join('; ')}` }
		};
	return checked;
}

/** Question keys, group codes and area codes that answers or submissions use: these can be hidden, not removed. */
async function inUse(tx: Transaction<Database>, consultationId: number) {
	const [questions, groups, districts] = await Promise.all([
		tx
			.selectFrom('question')
			.select('key')
			.where('consultation_id', '=', consultationId)
			.where((eb) => eb.exists(eb.selectFrom('answer').select('id').whereRef('answer.question_id', '=', 'question.id')))
			.execute(),
		tx
			.selectFrom('perspective')
			.innerJoin('submission', 'submission.id', 'perspective.submission_id')
			.select('perspective.group_code')
			.distinct()
			.where('submission.consultation_id', '=', consultationId)
			.where('perspective.group_code', 'is not', null)
			.execute(),
		tx
			.selectFrom('submission')
			.select('district_code')
			.distinct()
			.where('consultation_id', '=', consultationId)
			.where('district_code', 'is not', null)
			.execute()
	]);
	return {
		questions: new Set(questions.map((r) => r.key)),
		groups: new Set(groups.map((r) => r.group_code!)),
		districts: new Set(districts.map((r) => r.district_code!))
	};
}

/**
 * Saves a definition: a new consultation (`slug` null) or the one at `slug`.
 * A question, group or area that has answers cannot be removed (the officer is
 * told to hide it instead); one without answers is deleted. Wording changes to
 * answered questions become new versions (store.ts). All or nothing.
 */
export async function saveConsultation(
	db: Db,
	definition: ConsultationFile,
	slug: string | null,
	actorId: number | null
): Promise<{ id: number; slug: string }> {
	const def = consultationFileSchema.parse(definition);
	const saved = await db.transaction().execute(async (tx) => {
		const clash = await tx.selectFrom('consultation').select('slug').where('slug', '=', def.slug).executeTakeFirst();
		if (clash && clash.slug !== slug)
			throw new BuilderError(
				`There is already a consultation at /s/${def.slug}: choose another web address name`,
				'slug'
			);
		const existing =
			slug === null
				? undefined
				: await tx.selectFrom('consultation').select(['id', 'status']).where('slug', '=', slug).executeTakeFirst();
		if (slug !== null && !existing) throw new BuilderError('That consultation no longer exists');
		if (existing) {
			// The status is the lifecycle's to change (open, close), never the form's.
			def.status = existing.status;
			if (def.slug !== slug && existing.status !== 'draft')
				throw new BuilderError('The web address cannot change once a consultation has opened', 'slug');
			if (def.slug !== slug)
				await tx.updateTable('consultation').set({ slug: def.slug }).where('id', '=', existing.id).execute();
			await removeDropped(tx, existing.id, def);
		}
		const { id } = await upsertConsultation(tx, { file: '(builder)', definition: def }, actorId);
		await audit(tx, {
			userId: actorId,
			action: existing ? 'consultation.update' : 'consultation.create',
			entity: 'consultation',
			entityId: id,
			detail: { slug: def.slug, questions: def.questions.length, groups: def.groups.length }
		});
		return { id, slug: def.slug };
	});
	forgetConsultation(db, saved.slug, ...(slug ? [slug] : []));
	return saved;
}

async function removeDropped(tx: Transaction<Database>, consultationId: number, def: ConsultationFile) {
	const used = await inUse(tx, consultationId);
	const keep = {
		questions: new Set(def.questions.map((q) => q.key)),
		groups: new Set(def.groups.map((g) => g.code)),
		districts: new Set(def.districts.map((d) => d.code))
	};
	for (const key of used.questions)
		if (!keep.questions.has(key))
			throw new BuilderError(
				`Question ${key} has answers, so it cannot be removed: tick "Hide from new respondents" instead`,
				'questions-0-key'
			);
	for (const code of used.groups)
		if (!keep.groups.has(code))
			throw new BuilderError(
				`Group "${code}" has answers, so it cannot be removed: tick "Hide from new respondents" instead`,
				'groups-0-code'
			);
	for (const code of used.districts)
		if (!keep.districts.has(code))
			throw new BuilderError(`Area "${code}" has responses, so it cannot be removed`, 'districts');
	const questions = await tx
		.selectFrom('question')
		.select(['id', 'key'])
		.where('consultation_id', '=', consultationId)
		.execute();
	const gone = questions.filter((q) => !keep.questions.has(q.key)).map((q) => q.id);
	if (gone.length) await tx.deleteFrom('question').where('id', 'in', gone).execute();
	const groups = await tx
		.selectFrom('respondent_group')
		.select('code')
		.where('consultation_id', '=', consultationId)
		.execute();
	const groupsGone = groups.filter((g) => !keep.groups.has(g.code)).map((g) => g.code);
	if (groupsGone.length)
		await tx
			.deleteFrom('respondent_group')
			.where('consultation_id', '=', consultationId)
			.where('code', 'in', groupsGone)
			.execute();
	const districts = await tx
		.selectFrom('district')
		.select('code')
		.where('consultation_id', '=', consultationId)
		.execute();
	const districtsGone = districts.filter((d) => !keep.districts.has(d.code)).map((d) => d.code);
	if (districtsGone.length)
		await tx
			.deleteFrom('district')
			.where('consultation_id', '=', consultationId)
			.where('code', 'in', districtsGone)
			.execute();
}

/** Moves a consultation along its lifecycle; the status is written to its stored definition too (for export). */
export async function moveConsultation(db: Db, slug: string, to: Lifecycle, actorId: number | null): Promise<void> {
	await db.transaction().execute(async (tx) => {
		const row = await tx
			.selectFrom('consultation')
			.select(['id', 'status', 'archived_at', 'definition', 'updated_at'])
			.where('slug', '=', slug)
			.executeTakeFirst();
		if (!row) throw new BuilderError('That consultation no longer exists');
		const from = lifecycleOf(row);
		if (!MOVES[from].includes(to)) throw new BuilderError(`A consultation that is ${from} cannot be made ${to}`, 'to');
		const status = to === 'archived' ? 'closed' : to;
		const definition = JSON.stringify({ ...JSON.parse(row.definition), status });
		const now = nextUpdatedAt(row.updated_at);
		await tx
			.updateTable('consultation')
			.set({ status, archived_at: to === 'archived' ? now : null, definition, updated_at: now })
			.where('id', '=', row.id)
			.execute();
		await audit(tx, {
			userId: actorId,
			action: `consultation.${to}`,
			entity: 'consultation',
			entityId: row.id,
			before: { state: from },
			after: { state: to }
		});
	});
	forgetConsultation(db, slug);
}

/**
 * A new draft consultation with a copy of another's definition (groups, areas,
 * questions, wording) and nothing else: no answers, themes or codebook folder.
 */
export async function duplicateConsultation(
	db: Db,
	fromSlug: string,
	copy: { slug: string; title: string },
	actorId: number | null
): Promise<{ id: number; slug: string }> {
	const source = await storedDefinition(db, fromSlug);
	if (!source) throw new BuilderError('That consultation no longer exists');
	const { codebooks: _folder, ...rest } = source;
	void _folder;
	const def: ConsultationFile = {
		...rest,
		slug: copy.slug,
		title: copy.title,
		status: 'draft',
		// A copy starts with every question and group offered again, and no wording to confirm.
		groups: rest.groups.map(({ hidden: _h, ...g }) => (void _h, g)),
		questions: rest.questions.map(({ hidden: _h, ...q }) => (void _h, q))
	};
	const parsed = consultationFileSchema.safeParse(def);
	if (!parsed.success) throw new BuilderError(Object.values(builderErrors(parsed.error))[0] ?? 'Not valid', 'slug');
	return saveConsultation(db, parsed.data, null, actorId);
}

export interface BuilderListRow {
	slug: string;
	title: string;
	state: Lifecycle;
	opensAt: string | null;
	closesAt: string | null;
	submissions: number;
}

/** Every consultation with its lifecycle state and responses so far. */
export async function consultationsForBuilder(db: Db): Promise<BuilderListRow[]> {
	const rows = await db
		.selectFrom('consultation as c')
		.select((eb) => [
			'c.slug',
			'c.title',
			'c.status',
			'c.archived_at',
			'c.opens_at',
			'c.closes_at',
			eb
				.selectFrom('submission')
				.select((e) => e.fn.countAll<number>().as('n'))
				.whereRef('submission.consultation_id', '=', 'c.id')
				.as('submissions')
		])
		.orderBy('c.id', 'desc')
		.execute();
	return rows.map((r) => ({
		slug: r.slug,
		title: r.title,
		state: lifecycleOf(r),
		opensAt: r.opens_at,
		closesAt: r.closes_at,
		submissions: Number(r.submissions ?? 0)
	}));
}

export async function lifecycleState(db: Db, slug: string): Promise<{ state: Lifecycle; answers: number } | null> {
	const row = await db
		.selectFrom('consultation as c')
		.select((eb) => [
			'c.status',
			'c.archived_at',
			eb
				.selectFrom('answer')
				.innerJoin('question', 'question.id', 'answer.question_id')
				.select((e) => e.fn.countAll<number>().as('n'))
				.whereRef('question.consultation_id', '=', 'c.id')
				.as('answers')
		])
		.where('c.slug', '=', slug)
		.executeTakeFirst();
	return row ? { state: lifecycleOf(row), answers: Number(row.answers ?? 0) } : null;
}

export const TEMPLATES_DIR = 'db/templates';

export interface Template {
	name: string;
	title: string;
	definition: ConsultationFile;
}

/** The shipped templates (db/templates) and the shipped consultations (db/consultations), as starting points. */
export function templates(dirs = [TEMPLATES_DIR, DEFAULT_CONSULTATIONS_DIR]): Template[] {
	const out: Template[] = [];
	for (const dir of dirs) {
		if (!fs.existsSync(dir)) continue;
		for (const f of fs
			.readdirSync(dir)
			.filter((n) => n.endsWith('.json'))
			.sort()) {
			const parsed = consultationFileSchema.safeParse(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
			if (parsed.success)
				out.push({ name: f.replace(/\.json$/, ''), title: parsed.data.title, definition: parsed.data });
		}
	}
	return out;
}
