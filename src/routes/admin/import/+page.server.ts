import { fail, redirect } from '@sveltejs/kit';
import { requireRole, ANALYSTS } from '$lib/server/auth/guard';
import { getConsultationById, listConsultations } from '$lib/server/consultations/queries';
import { listLocations, LOCATION_KINDS, LOCATION_KIND_LABELS } from '$lib/server/entry/locations';
import { ImportFileError } from '$lib/server/import/errors';
import { parseUploadIsolated } from '$lib/server/import/parse-isolated';
import {
	commitImport,
	emptyValueMaps,
	guessMapping,
	ImportRefused,
	norm,
	planImport,
	refuseCommit,
	type CommitResult,
	FIELD_LABELS,
	MAPPED_FIELDS,
	NEW_LOCATION,
	NOT_KNOWN,
	REQUIRED_FIELDS,
	type Mapping,
	type ValueMaps
} from '$lib/server/import/plan';
import { heldUpload, holdUpload, importJob, startImportJob } from '$lib/server/import/store';
import { MAX_UPLOAD_BYTES, MAX_UPLOAD_REQUEST_BYTES } from '$lib/server/import/limits';
import { formFailure, parseForm } from '$lib/server/forms';
import { importCommitForm, importUploadForm } from '$lib/schemas/import';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const MB = MAX_UPLOAD_BYTES / 1024 / 1024;

function mappingFrom(get: (k: string) => string | null, width: number, fallback: Mapping): Mapping {
	const m = {} as Mapping;
	for (const f of MAPPED_FIELDS) {
		const raw = get(`m_${f}`);
		const n = raw === null ? fallback[f] : Number(raw);
		m[f] = Number.isInteger(n) && n >= 0 && n < width ? n : -1;
	}
	return m;
}

/** The officer's matches travel as pairs: gv=<value in the file>&gc=<choice> (likewise d… for districts, l… for locations). */
const MAP_PARAMS = { group: ['gv', 'gc'], district: ['dv', 'dc'], location: ['lv', 'lc'] } as const;

function valueMapsFrom(q: URLSearchParams): ValueMaps {
	const maps = emptyValueMaps();
	for (const field of ['group', 'district', 'location'] as const) {
		const [v, c] = MAP_PARAMS[field];
		const values = q.getAll(v);
		const choices = q.getAll(c);
		values.forEach((value, i) => {
			if (choices[i]) maps[field][norm(value)] = choices[i];
		});
	}
	return maps;
}

function previewQuery(
	token: string,
	m: Mapping,
	maps: { field: 'group' | 'district' | 'location'; value: string; chosen: string }[]
): string {
	const q = new URLSearchParams({ token });
	for (const f of MAPPED_FIELDS) q.set(`m_${f}`, String(m[f]));
	for (const u of maps) {
		const [v, c] = MAP_PARAMS[u.field];
		q.append(v, u.value);
		q.append(c, u.chosen);
	}
	return q.toString();
}

/** The held upload and its plan as the officer has mapped it so far (from the page's query string). */
async function preparePreview(event: Pick<RequestEvent, 'locals' | 'url'>, userId: number, token: string) {
	const db = event.locals.db;
	const q = event.url.searchParams;
	const upload = await heldUpload(db, token, userId);
	if (!upload) return null;
	const consultation = await getConsultationById(db, upload.consultationId);
	// Deleted since the upload: the held file has nothing left to go into.
	if (!consultation) return null;
	const locations = await listLocations(db);
	const mapping = mappingFrom((k) => q.get(k), upload.sheet.headers.length, guessMapping(upload.sheet.headers));
	const plan = planImport(consultation, upload.sheet, mapping, upload.hash, { maps: valueMapsFrom(q), locations });
	return { upload, consultation, locations, mapping, plan };
}

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, ANALYSTS);
	const db = event.locals.db;
	const q = event.url.searchParams;
	const consultations = (await listConsultations(db)).map((c) => ({ id: c.id, title: c.title }));
	const base = {
		consultations,
		maxMb: MB,
		tooLarge: q.has('too_large'),
		done: q.has('done')
			? {
					created: Number(q.get('created')),
					alreadyThere: Number(q.get('already')),
					skipped: Number(q.get('skipped')),
					locationsAdded: Number(q.get('locations') ?? 0)
				}
			: null,
		fields: MAPPED_FIELDS.map((f) => ({ field: f, label: FIELD_LABELS[f], required: REQUIRED_FIELDS.includes(f) })),
		kinds: LOCATION_KINDS.map((k) => ({ code: k, label: LOCATION_KIND_LABELS[k] }))
	};
	const jobToken = q.get('job');
	if (jobToken) {
		const job = await importJob<CommitResult>(db, jobToken, user.id);
		if (!job) return { ...base, preview: null, expired: true };
		if (job.status === 'done') redirect(303, doneUrl(job.result!));
		return {
			...base,
			preview: null,
			expired: false,
			job: {
				status: job.status,
				done: job.done,
				total: job.total,
				error: job.error ?? null,
				url: `/admin/import?job=${encodeURIComponent(jobToken)}`
			}
		};
	}
	const token = q.get('token');
	if (!token) return { ...base, preview: null, expired: false };
	const prepared = await preparePreview(event, user.id, token);
	if (!prepared) return { ...base, preview: null, expired: true };
	const { upload, consultation, locations, mapping, plan } = prepared;
	const unmatched = (['group', 'district', 'location'] as const).flatMap((field) =>
		plan.unmatched[field].map((u) => ({ field, ...u }))
	);
	return {
		...base,
		expired: false,
		preview: {
			token,
			// Posting to the same query keeps the preview (and the officer's choices) on the page after a refusal.
			query: previewQuery(
				token,
				mapping,
				unmatched.filter((u) => u.chosen !== '')
			),
			filename: upload.filename,
			consultationTitle: consultation.title,
			headers: upload.sheet.headers,
			mapping,
			mappingErrors: plan.mappingErrors,
			total: upload.sheet.rows.length,
			good: plan.good,
			bad: plan.bad,
			// Only the mapped columns of a few rows leave the server.
			problems: plan.rows
				.filter((r) => r.errors.length)
				.slice(0, 500)
				.map((r) => ({ row: r.rowNumber, errors: r.errors, text: r.shown.text.slice(0, 80) })),
			sample: plan.rows
				.filter((r) => r.input)
				.slice(0, 10)
				.map((r) => ({ row: r.rowNumber, ...r.shown, text: r.shown.text.slice(0, 120) })),
			unmatched,
			newLocations: plan.newLocations,
			groupOptions: consultation.groups.map((g) => ({ code: g.code, label: g.label })),
			districtOptions: consultation.districts.map((d) => ({ code: d.code, label: d.label })),
			locationOptions: locations.map((l) => ({ code: String(l.id), label: l.name })),
			notKnown: NOT_KNOWN,
			newLocation: NEW_LOCATION,
			questions: consultation.questions.map((x) => x.key)
		}
	};
};

export const actions: Actions = {
	upload: async (event) => {
		const user = requireRole(event, ANALYSTS);
		if (Number(event.request.headers.get('content-length') ?? 0) > MAX_UPLOAD_REQUEST_BYTES)
			redirect(303, '/admin/import?too_large=1');
		const form = await parseForm(importUploadForm(MAX_UPLOAD_BYTES), event.request);
		const consultationId = Number(form.values.consultationId);
		const errors: Record<string, string> = form.ok ? {} : { ...form.errors };
		const consultation = errors.consultationId ? undefined : await getConsultationById(event.locals.db, consultationId);
		if (!errors.consultationId && !consultation)
			errors.consultationId = 'Choose the consultation the responses belong to';
		if (!form.ok || Object.keys(errors).length) return formFailure(form.values, errors, { consultationId });
		const f = form.data.file;
		const buf = new Uint8Array(await f.arrayBuffer());
		let parsed;
		try {
			// In a worker thread with its own memory and time limits: a hostile file ends the worker, not the server.
			parsed = await parseUploadIsolated(buf, f.name);
		} catch (e) {
			if (e instanceof ImportFileError) return formFailure(form.values, { file: e.message }, { consultationId });
			throw e;
		}
		const { sheet, sha256: hash } = parsed;
		const token = await holdUpload(event.locals.db, {
			userId: user.id,
			consultationId,
			filename: f.name.slice(0, 200),
			hash,
			sheet
		});
		redirect(303, `/admin/import?${previewQuery(token, guessMapping(sheet.headers), [])}#preview`);
	},
	commit: async (event) => {
		const user = requireRole(event, ANALYSTS);
		const form = await parseForm(importCommitForm, event.request);
		if (!form.ok) return form.failure;
		const { token, skipBad, addLocations, locationKind } = form.data;
		// A second click (or a resent form) while the import runs shows the same import, never a second one.
		if (await importJob(event.locals.db, token, user.id))
			redirect(303, `/admin/import?job=${encodeURIComponent(token)}`);
		const prepared = await preparePreview(event, user.id, token);
		if (!prepared)
			return fail(400, { commitError: 'This upload has expired or was already imported. Upload the file again.' });
		const opts = {
			skipBad,
			addLocations,
			locationKind,
			actorId: user.id,
			filename: prepared.upload.filename,
			hash: prepared.upload.hash
		};
		try {
			refuseCommit(prepared.plan, opts);
		} catch (e) {
			if (e instanceof ImportRefused)
				return formFailure(form.values, { [e.field]: e.message }, { commitError: e.message });
			throw e;
		}
		const db = event.locals.db;
		const finished = await startImportJob<CommitResult>(
			db,
			token,
			user.id,
			prepared.plan.good,
			(progress) => commitImport(db, prepared.consultation, prepared.plan, { ...opts, onChunk: progress }),
			(e, done) => {
				// The error's name and database code (40P01: deadlock), never its message (which may quote a row).
				const code = (e as { code?: unknown } | null)?.code;
				console.error(
					`Import commit stopped after ${done} rows: ${e instanceof Error ? e.name : 'error'}${typeof code === 'string' ? ` (${code})` : ''}`
				);
				return `The import stopped after ${done.toLocaleString('en-GB')} of ${prepared.plan.good.toLocaleString('en-GB')} responses were saved. Upload the same file again and import it: the responses already saved are recognised and not added twice.`;
			}
		);
		// A small import finishes within the request; a large one carries on and the page shows its progress.
		// (null: another request started this commit a moment ago; show that one.)
		if (finished) await Promise.race([finished, new Promise((r) => setTimeout(r, 1500))]);
		const job = await importJob<CommitResult>(db, token, user.id);
		if (job?.status === 'done') redirect(303, doneUrl(job.result!));
		redirect(303, `/admin/import?job=${encodeURIComponent(token)}`);
	}
};

function doneUrl(r: CommitResult): string {
	return `/admin/import?done=1&created=${r.created}&already=${r.alreadyThere}&skipped=${r.skipped}&locations=${r.locationsAdded}`;
}
