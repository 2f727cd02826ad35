import { fail, redirect } from '@sveltejs/kit';
import { requireRole, ANALYSTS } from '$lib/server/auth/guard';
import { getConsultation, listConsultations } from '$lib/server/consultations/queries';
import { ImportFileError, parseUpload } from '$lib/server/import/parse';
import { commitImport, fileHash, guessMapping, ImportRefused, planImport, FIELD_LABELS, MAPPED_FIELDS, REQUIRED_FIELDS, type Mapping } from '$lib/server/import/plan';
import { heldUpload, holdUpload, releaseUpload } from '$lib/server/import/store';
import { MAX_UPLOAD_BYTES } from '$lib/server/import/limits';
import type { Actions, PageServerLoad } from './$types';

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

function mappingQuery(m: Mapping): string {
	return MAPPED_FIELDS.map((f) => `m_${f}=${m[f]}`).join('&');
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
		done: q.has('done') ? { created: Number(q.get('created')), alreadyThere: Number(q.get('already')), skipped: Number(q.get('skipped')) } : null,
		fields: MAPPED_FIELDS.map((f) => ({ field: f, label: FIELD_LABELS[f], required: REQUIRED_FIELDS.includes(f) }))
	};
	const token = q.get('token');
	if (!token) return { ...base, preview: null, expired: false };
	const upload = heldUpload(token, user.id);
	if (!upload) return { ...base, preview: null, expired: true };
	const c = (await db.selectFrom('consultation').select('slug').where('id', '=', upload.consultationId).executeTakeFirst())!;
	const consultation = (await getConsultation(db, c.slug))!;
	const mapping = mappingFrom((k) => q.get(k), upload.sheet.headers.length, guessMapping(upload.sheet.headers));
	const plan = planImport(consultation, upload.sheet, mapping, upload.hash);
	return {
		...base,
		expired: false,
		preview: {
			token,
			filename: upload.filename,
			consultationTitle: consultation.title,
			headers: upload.sheet.headers,
			mapping,
			mappingErrors: plan.mappingErrors,
			total: upload.sheet.rows.length,
			good: plan.good,
			bad: plan.bad,
			problems: plan.rows.filter((r) => r.errors.length).slice(0, 500).map((r) => ({ row: r.rowNumber, errors: r.errors, text: r.shown.text.slice(0, 80) })),
			sample: plan.rows.filter((r) => r.input).slice(0, 10).map((r) => ({ row: r.rowNumber, ...r.shown, text: r.shown.text.slice(0, 120) })),
			groups: consultation.groups.map((g) => `${g.code} (${g.label})`),
			questions: consultation.questions.map((x) => x.key),
			districts: consultation.districts.map((d) => d.code)
		}
	};
};

export const actions: Actions = {
	upload: async (event) => {
		const user = requireRole(event, ANALYSTS);
		if (Number(event.request.headers.get('content-length') ?? 0) > MAX_UPLOAD_BYTES + 64 * 1024) redirect(303, '/admin/import?too_large=1');
		const form = await event.request.formData();
		const consultationId = Number(form.get('consultationId'));
		const file = form.get('file');
		const errors: Record<string, string> = {};
		const consultation = Number.isInteger(consultationId)
			? await event.locals.db.selectFrom('consultation').select('id').where('id', '=', consultationId).executeTakeFirst()
			: undefined;
		if (!consultation) errors.consultationId = 'Choose the consultation the responses belong to';
		if (!(file instanceof File) || file.size === 0 || !file.name) errors.file = 'Choose a CSV or XLSX file to upload';
		else if (file.size > MAX_UPLOAD_BYTES) errors.file = `The file is ${(file.size / 1024 / 1024).toFixed(1)} MB: the limit is ${MB} MB. Split it into smaller files.`;
		if (Object.keys(errors).length) return fail(400, { errors, consultationId });
		const f = file as File;
		const buf = new Uint8Array(await f.arrayBuffer());
		let sheet;
		try {
			sheet = await parseUpload(buf, f.name);
		} catch (e) {
			if (e instanceof ImportFileError) return fail(400, { errors: { file: e.message }, consultationId });
			throw e;
		}
		const hash = fileHash(buf);
		const token = holdUpload({ userId: user.id, consultationId, filename: f.name.slice(0, 200), hash, sheet });
		redirect(303, `/admin/import?token=${token}&${mappingQuery(guessMapping(sheet.headers))}#preview`);
	},
	commit: async (event) => {
		const user = requireRole(event, ANALYSTS);
		const form = await event.request.formData();
		const token = String(form.get('token') ?? '');
		const upload = heldUpload(token, user.id);
		if (!upload) return fail(400, { commitError: 'This upload has expired or was already imported. Upload the file again.' });
		const c = (await event.locals.db.selectFrom('consultation').select('slug').where('id', '=', upload.consultationId).executeTakeFirst())!;
		const consultation = (await getConsultation(event.locals.db, c.slug))!;
		const mapping = mappingFrom((k) => (form.get(k) as string | null) ?? null, upload.sheet.headers.length, guessMapping(upload.sheet.headers));
		const plan = planImport(consultation, upload.sheet, mapping, upload.hash);
		let result;
		try {
			result = await commitImport(event.locals.db, consultation, plan, {
				skipBad: form.get('skipBad') === 'on',
				actorId: user.id,
				filename: upload.filename,
				hash: upload.hash
			});
		} catch (e) {
			if (e instanceof ImportRefused) return fail(400, { commitError: e.message });
			throw e;
		}
		releaseUpload(token);
		redirect(303, `/admin/import?done=1&created=${result.created}&already=${result.alreadyThere}&skipped=${result.skipped}`);
	}
};
