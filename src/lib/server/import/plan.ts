import { createHash } from 'node:crypto';
import type { Db } from '../db/connect';
import type { ConsultationView } from '../consultations/queries';
import { MAX_ANSWER_LENGTH, answerLimit, answerTooLong, textLength } from '../../schemas/answer';
import type { SubmissionInput } from '../../schemas/submission';
import { storeSubmissions, SubmissionConflictError, type SaveMeta } from '../submissions/save';
import { scheduleCodingOfNewAnswers } from '../coding/index';
import { prepareAnswerText, type PreparedText } from '../submissions/answer-pipeline';
import { audit } from '../audit/index';
import type { ParsedSheet } from './parse';
import { COMMIT_BUSY_SHARE, COMMIT_CHUNK_MS, COMMIT_GIVE_WAY_MS, MIN_CHUNK_ROWS } from './limits';
import { submissionsInFlight, submissionsSettled } from '../survey/in-flight';
import { nowIso } from '../util/time';
import { retryingConflicts } from '../db/retry-conflicts';
import { deferSharedAnswerCounts } from './flush';

export const MAPPED_FIELDS = ['text', 'question', 'group', 'district', 'location', 'id', 'date', 'channel'] as const;
export type MappedField = (typeof MAPPED_FIELDS)[number];
export const REQUIRED_FIELDS: readonly MappedField[] = ['text', 'question'];
export const FIELD_LABELS: Record<MappedField, string> = {
	text: 'Response text',
	question: 'Question',
	group: 'Respondent group',
	district: 'District',
	location: 'Location (optional)',
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
	location: ['location', 'library', 'venue', 'place', 'school', 'site', 'where'],
	id: ['id', 'response id', 'reference', 'ref', 'uuid'],
	date: ['date', 'date collected', 'collected', 'submitted', 'timestamp'],
	channel: ['channel', 'how collected', 'source', 'method']
};

export const norm = (s: string) =>
	s
		.toLowerCase()
		.replace(/[_\-.:]+/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();

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

/**
 * What the officer chose, in the preview, for values the file uses that the
 * consultation does not know ("Parent", "Teenager", a library's name). Keys are
 * the values as norm() makes them. NOT_KNOWN means "leave it empty / not known";
 * NEW_LOCATION means "add this as a new location".
 */
export interface ValueMaps {
	group: Record<string, string>;
	district: Record<string, string>;
	location: Record<string, string>;
}
export const NOT_KNOWN = '-';
export const NEW_LOCATION = '+';
export const emptyValueMaps = (): ValueMaps => ({ group: {}, district: {}, location: {} });
/** Distinct unmatched values offered for matching, per field: more stay row errors (the preview's form goes in the URL). */
export const MAX_VALUES_TO_MATCH = 20;
/** Longer values are not offered for matching (they are almost certainly the wrong column). */
export const MAX_VALUE_TO_MATCH_CHARS = 60;

export interface LocationRef {
	id: number;
	name: string;
	districtCode: string | null;
}

export interface UnmatchedValue {
	/** As first written in the file. */
	value: string;
	key: string;
	rows: number;
	/** The officer's choice so far ('' = none yet). */
	chosen: string;
}

export const IMPORT_CHANNELS = ['import', 'paper', 'library', 'school', 'event'] as const;

export interface PlannedRow {
	rowNumber: number;
	errors: string[];
	input: SubmissionInput | null;
	channel: SaveMeta['channel'];
	createdAt: string | null;
	/** An existing location's id, or the name of one the commit adds. */
	location: { id: number } | { newName: string } | null;
	/** What the row says, for the preview. */
	shown: { text: string; question: string; group: string; district: string; location: string };
}

export interface NewLocation {
	name: string;
	/** The district most of its rows give, if any. */
	districtCode: string | null;
	rows: number;
}

export interface ImportPlan {
	/** Problems with the mapping itself (a required column missing): nothing can be imported. */
	mappingErrors: string[];
	rows: PlannedRow[];
	good: number;
	bad: number;
	/** Values the consultation does not know, for the officer to match in the preview. */
	unmatched: { group: UnmatchedValue[]; district: UnmatchedValue[]; location: UnmatchedValue[] };
	/** Locations the commit will add (with the officer's confirmation). */
	newLocations: NewLocation[];
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

/** norm(code) and norm(label) -> code, built once per plan: a 20,000-row file must not normalise every option on every row. */
function lookupTable(options: { code: string; label: string }[]): (value: string) => string | undefined {
	const table = new Map<string, string>();
	for (const o of [...options].reverse()) {
		table.set(norm(o.label), o.code);
		table.set(norm(o.code), o.code);
	}
	return (value) => table.get(norm(value));
}

const isNotKnown = (raw: string) => /^(not known|unknown|n\/?a)$/i.test(raw);

/** Collects distinct unmatched values of one field, in file order, with the officer's choice. */
class Unmatched {
	private seen = new Map<string, UnmatchedValue>();
	constructor(private chosen: Record<string, string>) {}
	/** Records the value; says whether it is offered for matching (not too long, not too many) and the officer's choice, if any. */
	add(raw: string): { offered: boolean; chosen?: string } {
		const key = norm(raw);
		let u = this.seen.get(key);
		if (!u) {
			if (raw.length > MAX_VALUE_TO_MATCH_CHARS || this.seen.size >= MAX_VALUES_TO_MATCH) return { offered: false };
			u = { value: raw, key, rows: 0, chosen: this.chosen[key] ?? '' };
			this.seen.set(key, u);
		}
		u.rows++;
		return { offered: true, chosen: u.chosen === '' ? undefined : u.chosen };
	}
	list(): UnmatchedValue[] {
		return [...this.seen.values()];
	}
}

/**
 * Checks every row against the consultation and the chosen columns. Each row
 * gets a stable id: its own id column when that is a UUID, else a hash of the
 * consultation and its id, else a hash of the file and the row number, so the
 * same file imported twice stores each response once. Values the consultation
 * does not know are errors until the officer matches them (`maps`); location
 * names not among `locations` become new locations unless matched otherwise.
 */
export function planImport(
	c: Pick<ConsultationView, 'id' | 'groups' | 'districts' | 'questions'>,
	sheet: ParsedSheet,
	mapping: Mapping,
	hash: string,
	opts: { maps?: ValueMaps; locations?: LocationRef[] } = {}
): ImportPlan {
	const maps = opts.maps ?? emptyValueMaps();
	const mappingErrors: string[] = [];
	for (const f of REQUIRED_FIELDS)
		if (mapping[f] < 0 || mapping[f] >= sheet.headers.length)
			mappingErrors.push(`Choose the column that holds the ${FIELD_LABELS[f].toLowerCase()}.`);
	const chosen = MAPPED_FIELDS.filter((f) => mapping[f] >= 0).map((f) => mapping[f]);
	if (new Set(chosen).size !== chosen.length) mappingErrors.push('Each column can be used for one thing only.');
	const unmatched = {
		group: new Unmatched(maps.group),
		district: new Unmatched(maps.district),
		location: new Unmatched(maps.location)
	};
	if (mappingErrors.length)
		return {
			mappingErrors,
			rows: [],
			good: 0,
			bad: 0,
			unmatched: { group: [], district: [], location: [] },
			newLocations: []
		};

	const groups = c.groups.map((g) => ({ code: g.code, label: g.label }));
	const groupCodes = new Set(groups.map((g) => g.code));
	const districtCodes = new Set(c.districts.map((d) => d.code));
	const questions = c.questions.map((q) => ({ key: q.key, text: q.text, position: q.position }));
	const limits = new Map(c.questions.map((q) => [q.key, answerLimit(q)]));
	const questionByName = new Map<string, string>();
	for (const q of [...questions].reverse()) {
		questionByName.set(norm(q.text), q.key);
		questionByName.set(norm(q.key).replace(/^q/, ''), q.key);
		questionByName.set(norm(q.key), q.key);
	}
	const groupCode = lookupTable(groups);
	const districtCode = lookupTable(c.districts);
	const locationsByName = new Map((opts.locations ?? []).map((l) => [norm(l.name), l]));
	const locationsById = new Map((opts.locations ?? []).map((l) => [String(l.id), l]));
	const cell = (cells: string[], f: MappedField) => (mapping[f] >= 0 ? String(cells[mapping[f]] ?? '').trim() : '');
	const rows: PlannedRow[] = sheet.rows.map(({ rowNumber, cells }) => {
		const errors: string[] = [];
		const text = cell(cells, 'text');
		const qRaw = cell(cells, 'question');
		const gRaw = cell(cells, 'group');
		const dRaw = cell(cells, 'district');
		const lRaw = cell(cells, 'location');
		let questionKey: string | undefined;
		if (qRaw !== '') questionKey = questionByName.get(norm(qRaw).replace(/^question /, ''));
		// The question's own limit when the row names a known question, else the installation's.
		const limit = (questionKey && limits.get(questionKey)) || MAX_ANSWER_LENGTH;
		if (text === '') errors.push(`${FIELD_LABELS.text} is empty`);
		else if (answerTooLong(text, limit))
			errors.push(
				`${FIELD_LABELS.text} is ${textLength(text).toLocaleString('en-GB')} characters: the limit is ${limit.toLocaleString('en-GB')}`
			);
		if (qRaw === '') errors.push('Question is empty');
		else if (!questionKey) errors.push(`Question "${qRaw}" is not one of ${questions.map((q) => q.key).join(', ')}`);
		let group: string | null = null;
		if (gRaw !== '' && !isNotKnown(gRaw)) {
			const code = groupCode(gRaw) ?? unmatched.group.add(gRaw).chosen;
			if (code === NOT_KNOWN) group = null;
			else if (code && groupCodes.has(code)) group = code;
			else
				errors.push(
					`Respondent group "${gRaw}" is not one of: ${groups.map((g) => g.code).join(', ')}. Match it to a group under "Values to match", or leave it empty for not known`
				);
		}
		let district: string | null = null;
		if (dRaw !== '' && !isNotKnown(dRaw)) {
			const code = districtCode(dRaw) ?? unmatched.district.add(dRaw).chosen;
			if (code === NOT_KNOWN) district = null;
			else if (code && districtCodes.has(code)) district = code;
			else
				errors.push(
					`District "${dRaw}" is not one of: ${c.districts.map((d) => d.code).join(', ')}. Match it to a district under "Values to match", or leave it empty`
				);
		}
		let location: PlannedRow['location'] = null;
		if (lRaw !== '' && !isNotKnown(lRaw)) {
			const known = locationsByName.get(norm(lRaw));
			if (known) location = { id: known.id };
			else {
				const m = unmatched.location.add(lRaw);
				if (!m.offered) {
					errors.push(
						lRaw.length > MAX_VALUE_TO_MATCH_CHARS
							? `Location "${lRaw.slice(0, 40)}…" is too long for a location name: is the right column chosen?`
							: `Location "${lRaw}" is not a known location, and the file names more than ${MAX_VALUES_TO_MATCH} new ones: add them on the Locations page first`
					);
				} else if (m.chosen === undefined || m.chosen === NEW_LOCATION) location = { newName: lRaw.slice(0, 200) };
				else if (m.chosen !== NOT_KNOWN) {
					const l = locationsById.get(m.chosen);
					if (l) location = { id: l.id };
					else errors.push(`Location "${lRaw}": choose a location for it under "Values to match"`);
				}
			}
		}
		// A leaf from a known place with no district of its own is counted in that place's district.
		if (district === null && (dRaw === '' || isNotKnown(dRaw)) && location && 'id' in location) {
			const d = locationsById.get(String(location.id))?.districtCode;
			if (d && districtCodes.has(d)) district = d;
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
			const iso = m
				? `${m[1]}-${m[2]}-${m[3]}`
				: uk
					? `${uk[3]}-${uk[2].padStart(2, '0')}-${uk[1].padStart(2, '0')}`
					: null;
			const d = iso ? new Date(`${iso}T12:00:00.000Z`) : null;
			if (!d || Number.isNaN(d.getTime()) || !d.toISOString().startsWith(iso!))
				errors.push(`Date "${dateRaw}" is not a date like 2017-06-05 or 05/06/2017`);
			else createdAt = d.toISOString();
		}
		const idRaw = cell(cells, 'id');
		const id = UUID.test(idRaw)
			? idRaw.toLowerCase()
			: idRaw !== ''
				? stableId('import-id', String(c.id), idRaw)
				: stableId('import-row', hash, String(rowNumber));
		const input: SubmissionInput | null =
			errors.length === 0 && questionKey
				? { id, district, perspectives: [{ group, answers: { [questionKey]: text } }] }
				: null;
		return {
			rowNumber,
			errors,
			input,
			channel,
			createdAt,
			location,
			shown: { text, question: qRaw, group: gRaw, district: dRaw, location: lRaw }
		};
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
	// New locations take the district most of their rows give; their rows without one take it too.
	const byNew = new Map<string, { name: string; districts: Map<string, number>; rows: PlannedRow[] }>();
	for (const r of rows) {
		if (!r.location || !('newName' in r.location)) continue;
		const key = norm(r.location.newName);
		const entry = byNew.get(key) ?? {
			name: r.location.newName,
			districts: new Map<string, number>(),
			rows: [] as PlannedRow[]
		};
		byNew.set(key, entry);
		entry.rows.push(r);
		const d = r.input?.district;
		if (d) entry.districts.set(d, (entry.districts.get(d) ?? 0) + 1);
	}
	const newLocations: NewLocation[] = [...byNew.values()].map((e) => {
		const districtCode = [...e.districts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
		for (const r of e.rows)
			if (r.input && r.input.district == null && (r.shown.district === '' || isNotKnown(r.shown.district)))
				r.input.district = districtCode;
		return { name: e.name, districtCode, rows: e.rows.length };
	});
	const good = rows.filter((r) => r.input).length;
	return {
		mappingErrors,
		rows,
		good,
		bad: rows.length - good,
		unmatched: {
			group: unmatched.group.list(),
			district: unmatched.district.list(),
			location: unmatched.location.list()
		},
		newLocations: newLocations.filter((l) => byNew.get(norm(l.name))!.rows.some((r) => r.input))
	};
}

/** Why a commit was refused; `field` is the commit form's field that would allow it ("form" when none would). */
export class ImportRefused extends Error {
	constructor(
		message: string,
		readonly field: 'skipBad' | 'addLocations' | 'form' = 'form'
	) {
		super(message);
	}
}

export interface CommitResult {
	created: number;
	alreadyThere: number;
	skipped: number;
	locationsAdded: number;
}

/** Throws ImportRefused, before anything is written, when the plan may not be committed as asked. */
export function refuseCommit(plan: ImportPlan, opts: { skipBad: boolean; addLocations?: boolean }): void {
	if (plan.mappingErrors.length) throw new ImportRefused(plan.mappingErrors.join(' '));
	if (plan.bad > 0 && !opts.skipBad) {
		throw new ImportRefused(
			`${plan.bad} row${plan.bad === 1 ? ' has' : 's have'} problems, so nothing was imported. Fix the file, or tick "skip the rows with problems".`,
			'skipBad'
		);
	}
	if (plan.good === 0) throw new ImportRefused('There are no rows without problems to import.');
	if (plan.newLocations.length > 0 && !opts.addLocations) {
		const k = plan.newLocations.length;
		throw new ImportRefused(
			`The file names ${k} new location${k === 1 ? '' : 's'}, so nothing was imported. Tick "Add ${k === 1 ? 'this location' : `these ${k} locations`}", or match ${k === 1 ? 'it' : 'them'} to existing locations.`,
			'addLocations'
		);
	}
}

/** After `busyMs` of work, leaves the main thread to other requests so the import takes about `share` of it. */
function rest(busyMs: number, share: number): Promise<void> {
	const ms = share >= 1 ? 0 : Math.min(100, (busyMs * (1 - share)) / share);
	return new Promise((resolve) => (ms < 1 ? setImmediate(resolve) : setTimeout(resolve, ms)));
}

/** What the commit did, for measurements: each slice of screening, each write, each wait for submissions. */
export type CommitWork = (kind: 'screen' | 'write' | 'give-way', startedAt: number, ms: number) => void;

/**
 * Rests after `busyMs` of work (rest), then gives way: waits while survey submissions are in flight in this
 * process, at most `giveWayMs`, so the next slice or write starts when none is half done.
 */
async function pause(busyMs: number, share: number, giveWayMs: number, onWork?: CommitWork): Promise<void> {
	await rest(busyMs, share);
	if (giveWayMs <= 0 || submissionsInFlight() === 0) return;
	const started = performance.now();
	await submissionsSettled(giveWayMs);
	onWork?.('give-way', started, performance.now() - started);
}

/**
 * Writes every good row in short transactions of about COMMIT_CHUNK_MS each
 * (each answer screened and redacted before its transaction opens, in slices of
 * the same length), yielding between them, so that a survey submission or a
 * page load waits at most one slice behind a 20,000-row import (on SQLite a transaction holds the
 * one connection; on PostgreSQL the locks and a pool slot). Refuses, writing
 * nothing, when any row is bad unless `skipBad`, or when new locations are not
 * confirmed. If the commit stops part way (a crash, a restart), committing the
 * same file again stores the rest: the ids are stable, so rows already there
 * are counted, not doubled.
 */
export async function commitImport(
	db: Db,
	c: Pick<ConsultationView, 'id' | 'questions'>,
	plan: ImportPlan,
	opts: {
		skipBad: boolean;
		actorId: number;
		filename: string;
		hash: string;
		addLocations?: boolean;
		locationKind?: string;
		chunkMs?: number;
		/** The share of the main thread the commit takes (COMMIT_BUSY_SHARE). */
		busyShare?: number;
		/** The longest wait for survey submissions in flight before each slice and write (COMMIT_GIVE_WAY_MS; 0: none). */
		giveWayMs?: number;
		onWork?: CommitWork;
		onChunk?: (done: number) => void | Promise<void>;
	}
): Promise<CommitResult> {
	refuseCommit(plan, opts);
	const newIds = await addNewLocations(db, plan.newLocations, opts.locationKind ?? 'other', opts.actorId);
	const chunkMs = opts.chunkMs ?? COMMIT_CHUNK_MS;
	const busyShare = opts.busyShare ?? COMMIT_BUSY_SHARE;
	const giveWayMs = opts.giveWayMs ?? COMMIT_GIVE_WAY_MS;
	const todo = plan.rows.filter((r) => r.input);
	let created = 0;
	let alreadyThere = 0;
	let next = 0;
	// How many rows the next chunk writes: adjusted after each write so that a write takes about chunkMs.
	let size = MIN_CHUNK_ROWS;
	// Submissions first, from the very first slice.
	await pause(0, 1, giveWayMs, opts.onWork);
	while (next < todo.length) {
		// Screening and redaction (the CPU-heavy part of storing an answer) happen here, outside the
		// transaction, in slices of about chunkMs with a turn of the event loop between them; the
		// transaction then only inserts, so it holds the database (SQLite's one connection,
		// PostgreSQL's locks) and the main thread for about chunkMs at a time.
		const prepared = new Map<string, PreparedText>();
		let end = next;
		const last = Math.min(todo.length, next + size);
		while (end < last) {
			const sliceStarted = performance.now();
			do {
				for (const p of todo[end++].input!.perspectives)
					for (const text of Object.values(p.answers))
						if (text.trim() !== '' && !prepared.has(text)) prepared.set(text, prepareAnswerText(text));
			} while (end < last && performance.now() - sliceStarted < chunkMs);
			const sliceMs = performance.now() - sliceStarted;
			opts.onWork?.('screen', sliceStarted, sliceMs);
			// Let the requests that queued meanwhile run (to the end, not one step each); submissions first.
			await pause(sliceMs, busyShare, giveWayMs, opts.onWork);
		}
		// Counted only once the chunk's transaction has committed.
		const writeStarted = performance.now();
		let heldFrom = 0;
		let heldMs = 0;
		const chunk = await retryingConflicts(() =>
			db.transaction().execute(async (tx) => {
				heldFrom = performance.now();
				// PostgreSQL: the per-question counts every submission shares are added in the COMMIT (flush.ts).
				await deferSharedAnswerCounts(tx);
				// One multi-row insert per table for the chunk: on PostgreSQL each statement is a round trip, and the
				// aggregate rows the triggers count into (shared with the survey's submissions on every instance) stay
				// locked from the first insert to the commit.
				const results = await storeSubmissions(
					tx,
					todo.slice(next, end).map((row) => ({
						consultation: c,
						input: row.input!,
						meta: {
							channel: row.channel,
							enteredBy: opts.actorId,
							createdAt: row.createdAt ?? undefined,
							locationId: row.location
								? 'id' in row.location
									? row.location.id
									: newIds.get(norm(row.location.newName))!
								: null,
							prepared
						}
					}))
				);
				// A row whose UUID another consultation holds refuses the chunk (the transaction rolls back).
				const conflict = results.find((r) => r instanceof SubmissionConflictError);
				if (conflict) throw conflict;
				const made = results.filter((r) => !(r instanceof SubmissionConflictError) && r.status === 'created').length;
				const there = results.length - made;
				heldMs = performance.now() - heldFrom;
				return { made, there, end };
			})
		);
		// The inserts hold the main thread (better-sqlite3 is synchronous) and the connection (reported as the write);
		// the commit's disk flush that follows runs in the thread pool with the connection handed on, but a
		// submission's own flush waits for it (groupFlusher), so the size and the rest follow the whole write,
		// flush included: the import takes about busyShare of the disk's flushes too. (Sized and rested by the
		// inserts alone, the import ran faster and the survey's p99 was worse in the one HTTP run that compared.)
		const writeMs = performance.now() - writeStarted;
		opts.onWork?.('write', heldFrom, heldMs);
		// At least MIN_CHUNK_ROWS: each transaction is a disk flush (a WAL sync before it resolves), so one row at a time
		// under load would cost the import more than it saves anyone else.
		size = Math.max(
			MIN_CHUNK_ROWS,
			Math.min(500, (end - next) * 2, Math.round(((end - next) * chunkMs) / Math.max(0.5, writeMs)))
		);
		created += chunk.made;
		alreadyThere += chunk.there;
		next = chunk.end;
		await opts.onChunk?.(next);
		// Let the requests that queued during this chunk run before the next one; submissions first.
		await pause(writeMs, busyShare, giveWayMs, opts.onWork);
	}
	// Theme the new answers in the background, as every other way in does (storeSubmissions leaves that to its caller).
	if (created > 0) scheduleCodingOfNewAnswers();
	await audit(db, {
		userId: opts.actorId,
		action: 'import.commit',
		entity: 'consultation',
		entityId: c.id,
		detail: {
			filename: opts.filename,
			sha256: opts.hash,
			rows: plan.rows.length,
			created,
			alreadyThere,
			skipped: plan.bad,
			skippedRows: plan.rows.filter((r) => !r.input).map((r) => r.rowNumber),
			locationsAdded: newIds.size
		}
	});
	return { created, alreadyThere, skipped: plan.bad, locationsAdded: newIds.size };
}

/** Adds the confirmed new locations in one transaction (a name added meanwhile is used, not doubled); returns norm(name) -> id. */
async function addNewLocations(
	db: Db,
	wanted: NewLocation[],
	kind: string,
	actorId: number
): Promise<Map<string, number>> {
	const ids = new Map<string, number>();
	if (wanted.length === 0) return ids;
	await db.transaction().execute(async (tx) => {
		const existing = await tx.selectFrom('location').select(['id', 'name']).execute();
		const byName = new Map(existing.map((l) => [norm(l.name), l.id]));
		for (const l of wanted) {
			const key = norm(l.name);
			const id = byName.get(key);
			if (id !== undefined) {
				ids.set(key, id);
				continue;
			}
			const row = await tx
				.insertInto('location')
				.values({ name: l.name, district_code: l.districtCode, kind, active: 1, created_at: nowIso() })
				.returning(['id', 'name', 'district_code', 'kind', 'active'])
				.executeTakeFirstOrThrow();
			await audit(tx, {
				userId: actorId,
				action: 'location.create',
				entity: 'location',
				entityId: row.id,
				after: { ...row, from: 'import' }
			});
			ids.set(key, row.id);
			byName.set(key, row.id);
		}
	});
	return ids;
}
