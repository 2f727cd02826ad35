import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { ConsultationView } from '../consultations/queries';
import { MAX_ANSWER_LENGTH, type SubmissionInput } from '../../schemas/submission';
import { saveSubmission, type SaveMeta } from '../submissions/save';
import { audit } from '../audit/index';
import type { ParsedSheet } from './parse';

export const MAPPED_FIELDS = ['text', 'question', 'group', 'district', 'id', 'date', 'channel'] as const;
export type MappedField = (typeof MAPPED_FIELDS)[number];
export const REQUIRED_FIELDS: readonly MappedField[] = ['text', 'question'];
export const FIELD_LABELS: Record<MappedField, string> = {
	text: 'Response text',
	question: 'Question',
	group: 'Respondent group',
	district: 'District',
	id: 'Response id (optional)',
	date: 'Date (optional)',
	channel: 'How collected (optional)'
};
/** Column index for each field; -1 = not in this file. */
export type Mapping = Record<MappedField, number>;

const SYNONYMS: Record<MappedField, string[]> = {
	text: ['text', 'response', 'answer', 'comment', 'comments', 'leaf', 'what they said', 'response text'],
	question: ['question', 'question key', 'q', 'question number'],
	group: ['group', 'respondent group', 'respondent', 'respondent type', 'who', 'type'],
	district: ['district', 'area', 'locality'],
	id: ['id', 'response id', 'reference', 'ref', 'uuid'],
	date: ['date', 'date collected', 'collected', 'submitted', 'timestamp'],
	channel: ['channel', 'how collected', 'source', 'method']
};

const norm = (s: string) => s.toLowerCase().replace(/[_\-.:]+/g, ' ').replace(/\s+/g, ' ').trim();

/** The columns whose headers look like each field. */
export function guessMapping(headers: string[]): Mapping {
	const names = headers.map(norm);
	const out = {} as Mapping;
	const used = new Set<number>();
	for (const field of MAPPED_FIELDS) {
		const i = names.findIndex((n, idx) => !used.has(idx) && SYNONYMS[field].includes(n));
		out[field] = i;
		if (i >= 0) used.add(i);
	}
	return out;
}

export const IMPORT_CHANNELS = ['import', 'paper', 'library', 'school', 'event'] as const;

export interface PlannedRow {
	rowNumber: number;
	errors: string[];
	input: SubmissionInput | null;
	channel: SaveMeta['channel'];
	createdAt: string | null;
	/** What the row says, for the preview. */
	shown: { text: string; question: string; group: string; district: string };
}

export interface ImportPlan {
	/** Problems with the mapping itself (a required column missing): nothing can be imported. */
	mappingErrors: string[];
	rows: PlannedRow[];
	good: number;
	bad: number;
}

/** A UUID (version 5 layout) made from a hash, so the same row of the same file always gets the same id. */
export function stableId(...parts: string[]): string {
	const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
	const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function fileHash(buf: Uint8Array): string {
	return createHash('sha256').update(buf).digest('hex');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

function lookup(value: string, options: { code: string; label: string }[]): string | undefined {
	const v = norm(value);
	return options.find((o) => norm(o.code) === v || norm(o.label) === v)?.code;
}

/**
 * Checks every row against the consultation and the chosen columns. Each row
 * gets a stable id: its own id column when that is a UUID, else a hash of the
 * consultation and its id, else a hash of the file and the row number, so the
 * same file imported twice stores each response once.
 */
export function planImport(c: Pick<ConsultationView, 'id' | 'groups' | 'districts' | 'questions'>, sheet: ParsedSheet, mapping: Mapping, hash: string): ImportPlan {
	const mappingErrors: string[] = [];
	for (const f of REQUIRED_FIELDS) if (mapping[f] < 0 || mapping[f] >= sheet.headers.length) mappingErrors.push(`Choose the column that holds the ${FIELD_LABELS[f].toLowerCase()}.`);
	const chosen = MAPPED_FIELDS.filter((f) => mapping[f] >= 0).map((f) => mapping[f]);
	if (new Set(chosen).size !== chosen.length) mappingErrors.push('Each column can be used for one thing only.');
	if (mappingErrors.length) return { mappingErrors, rows: [], good: 0, bad: 0 };

	const groups = c.groups.map((g) => ({ code: g.code, label: g.label }));
	const questions = c.questions.map((q) => ({ key: q.key, text: q.text, position: q.position }));
	const cell = (cells: string[], f: MappedField) => (mapping[f] >= 0 ? String(cells[mapping[f]] ?? '').trim() : '');
	const rows: PlannedRow[] = sheet.rows.map(({ rowNumber, cells }) => {
		const errors: string[] = [];
		const text = cell(cells, 'text');
		const qRaw = cell(cells, 'question');
		const gRaw = cell(cells, 'group');
		const dRaw = cell(cells, 'district');
		if (text === '') errors.push(`${FIELD_LABELS.text} is empty`);
		else if (text.length > MAX_ANSWER_LENGTH) errors.push(`${FIELD_LABELS.text} is ${text.length.toLocaleString('en-GB')} characters: the limit is ${MAX_ANSWER_LENGTH.toLocaleString('en-GB')}`);
		let questionKey: string | undefined;
		if (qRaw === '') errors.push('Question is empty');
		else {
			const n = norm(qRaw).replace(/^question /, '');
			questionKey = questions.find((q) => norm(q.key) === n || norm(q.key) === `q${n}` || norm(q.text) === n)?.key;
			if (!questionKey) errors.push(`Question "${qRaw}" is not one of ${questions.map((q) => q.key).join(', ')}`);
		}
		let group: string | null = null;
		if (gRaw !== '' && !/^(not known|unknown|n\/?a)$/i.test(gRaw)) {
			const code = lookup(gRaw, groups);
			if (!code) errors.push(`Respondent group "${gRaw}" is not one of: ${groups.map((g) => g.code).join(', ')} (or leave it empty for not known)`);
			else group = code;
		}
		let district: string | null = null;
		if (dRaw !== '' && !/^(not known|unknown|n\/?a)$/i.test(dRaw)) {
			const code = lookup(dRaw, c.districts);
			if (!code) errors.push(`District "${dRaw}" is not one of: ${c.districts.map((d) => d.code).join(', ')} (or leave it empty)`);
			else district = code;
		}
		let channel: SaveMeta['channel'] = 'import';
		const chRaw = norm(cell(cells, 'channel'));
		if (chRaw !== '') {
			if ((IMPORT_CHANNELS as readonly string[]).includes(chRaw)) channel = chRaw as SaveMeta['channel'];
			else errors.push(`How collected "${cell(cells, 'channel')}" is not one of ${IMPORT_CHANNELS.join(', ')}`);
		}
		let createdAt: string | null = null;
		const dateRaw = cell(cells, 'date');
		if (dateRaw !== '') {
			const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(dateRaw) ?? null;
			const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(dateRaw);
			const iso = m ? `${m[1]}-${m[2]}-${m[3]}` : uk ? `${uk[3]}-${uk[2].padStart(2, '0')}-${uk[1].padStart(2, '0')}` : null;
			const d = iso ? new Date(`${iso}T12:00:00.000Z`) : null;
			if (!d || Number.isNaN(d.getTime()) || !d.toISOString().startsWith(iso!)) errors.push(`Date "${dateRaw}" is not a date like 2017-06-05 or 05/06/2017`);
			else createdAt = d.toISOString();
		}
		const idRaw = cell(cells, 'id');
		const id = UUID.test(idRaw) ? idRaw.toLowerCase() : idRaw !== '' ? stableId('import-id', String(c.id), idRaw) : stableId('import-row', hash, String(rowNumber));
		const input: SubmissionInput | null =
			errors.length === 0 && questionKey ? { id, district, perspectives: [{ group, answers: { [questionKey]: text } }] } : null;
		return { rowNumber, errors, input, channel, createdAt, shown: { text, question: qRaw, group: gRaw, district: dRaw } };
	});
	// The same id twice in one file is a mistake the officer should see.
	const seen = new Map<string, number>();
	for (const r of rows) {
		if (!r.input) continue;
		const first = seen.get(r.input.id);
		if (first !== undefined) {
			r.errors.push(`Same response id as row ${first}`);
			r.input = null;
		} else seen.set(r.input.id, r.rowNumber);
	}
	const good = rows.filter((r) => r.input).length;
	return { mappingErrors, rows, good, bad: rows.length - good };
}

export class ImportRefused extends Error {}

export interface CommitResult {
	created: number;
	alreadyThere: number;
	skipped: number;
}

/**
 * Writes every good row in ONE transaction: all or nothing. Refuses when any
 * row is bad unless `skipBad`. Rows already imported (same id) are counted, not doubled.
 */
export async function commitImport(
	db: Kysely<Database>,
	c: Pick<ConsultationView, 'id' | 'questions'>,
	plan: ImportPlan,
	opts: { skipBad: boolean; actorId: number; filename: string; hash: string }
): Promise<CommitResult> {
	if (plan.mappingErrors.length) throw new ImportRefused(plan.mappingErrors.join(' '));
	if (plan.bad > 0 && !opts.skipBad) {
		throw new ImportRefused(`${plan.bad} row${plan.bad === 1 ? ' has' : 's have'} problems, so nothing was imported. Fix the file, or tick "skip the rows with problems".`);
	}
	if (plan.good === 0) throw new ImportRefused('There are no rows without problems to import.');
	return db.transaction().execute(async (tx) => {
		let created = 0;
		let alreadyThere = 0;
		for (const row of plan.rows) {
			if (!row.input) continue;
			const r = await saveSubmission(tx, c, row.input, { channel: row.channel, enteredBy: opts.actorId, createdAt: row.createdAt ?? undefined });
			if (r.status === 'created') created++;
			else alreadyThere++;
		}
		await audit(tx, {
			userId: opts.actorId,
			action: 'import.commit',
			entity: 'consultation',
			entityId: c.id,
			detail: { filename: opts.filename, sha256: opts.hash, rows: plan.rows.length, created, alreadyThere, skipped: plan.bad, skippedRows: plan.rows.filter((r) => !r.input).map((r) => r.rowNumber) }
		});
		return { created, alreadyThere, skipped: plan.bad };
	});
}
