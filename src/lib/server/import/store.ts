import { randomBytes } from 'node:crypto';
import type { Db } from '../db/connect';
import type { ParsedSheet } from './parse';

/**
 * Parsed uploads kept between the preview and the commit, and the progress of
 * their commit, in the database (table import_preview) under a random token
 * bound to the officer who uploaded, for 30 minutes. In the database so that
 * behind a load balancer the preview, the commit and the progress page may each
 * reach a different app instance. The parsed rows are cleared once the commit
 * ends (done or failed); the row itself (progress and result) goes at expiry.
 */
export interface HeldUpload {
	userId: number;
	consultationId: number;
	filename: string;
	hash: string;
	sheet: ParsedSheet;
}

const TTL_MS = 30 * 60_000;
/** At most this many uploads held at once (the oldest are let go first), to bound the table. */
const MAX_HELD = 50;

/**
 * Deletes the uploads whose 30 minutes are up (their parsed cells are people's words before any redaction);
 * the hourly job calls it, so an upload nobody committed does not wait for the next upload to go. Returns how
 * many rows went.
 */
export async function purgeExpiredUploads(db: Db, now = Date.now()): Promise<number> {
	const r = await db.deleteFrom('import_preview').where('expires_at', '<=', now).executeTakeFirst();
	return Number(r.numDeletedRows ?? 0);
}

async function sweep(db: Db, now = Date.now()) {
	await purgeExpiredUploads(db, now);
	const keep = await db
		.selectFrom('import_preview')
		.select('expires_at')
		.orderBy('expires_at', 'desc')
		.offset(MAX_HELD - 1)
		.limit(1)
		.executeTakeFirst();
	if (keep) await db.deleteFrom('import_preview').where('expires_at', '<', keep.expires_at).execute();
}

export async function holdUpload(db: Db, upload: HeldUpload): Promise<string> {
	const token = randomBytes(18).toString('base64url');
	let chars = 0;
	for (const r of upload.sheet.rows) for (const c of r.cells) chars += c.length;
	await sweep(db);
	await db
		.insertInto('import_preview')
		.values({
			token,
			user_id: upload.userId,
			consultation_id: upload.consultationId,
			filename: upload.filename,
			hash: upload.hash,
			sheet: JSON.stringify(upload.sheet),
			chars,
			expires_at: Date.now() + TTL_MS
		})
		.execute();
	return token;
}

/** The upload held under `token` for this officer, unless it expired or its commit has started. */
export async function heldUpload(db: Db, token: string, userId: number): Promise<HeldUpload | null> {
	const row = await db
		.selectFrom('import_preview')
		.select(['user_id', 'consultation_id', 'filename', 'hash', 'sheet'])
		.where('token', '=', token)
		.where('user_id', '=', userId)
		.where('expires_at', '>', Date.now())
		.where('job_status', 'is', null)
		.executeTakeFirst();
	if (!row?.sheet) return null;
	return {
		userId: row.user_id,
		consultationId: row.consultation_id,
		filename: row.filename,
		hash: row.hash,
		sheet: JSON.parse(row.sheet) as ParsedSheet
	};
}

/**
 * A commit running in the background: the officer's request is answered at
 * once (or as soon as a small import is done) and the page shows progress, so
 * no request is held open for the minutes a 20,000-row import can take.
 */
export interface ImportJob<R = unknown> {
	userId: number;
	total: number;
	done: number;
	status: 'running' | 'done' | 'failed';
	result?: R;
	error?: string;
}

/**
 * Starts the commit of the upload under `token`, unless one has already started (a second click, or the same
 * form sent to another instance): exactly one request wins the update that marks it running. Returns the
 * commit's outcome as a promise, or null when another request had already started it.
 */
export async function startImportJob<R>(
	db: Db,
	token: string,
	userId: number,
	total: number,
	run: (progress: (done: number) => void) => Promise<R>,
	describeFailure: (e: unknown, done: number) => string
): Promise<Promise<void> | null> {
	const claimed = await db
		.updateTable('import_preview')
		.set({ job_status: 'running', job_total: total, job_done: 0, expires_at: Date.now() + TTL_MS })
		.where('token', '=', token)
		.where('user_id', '=', userId)
		.where('job_status', 'is', null)
		.executeTakeFirst();
	if (Number(claimed.numUpdatedRows) === 0) return null;
	let done = 0;
	let writing: Promise<unknown> = Promise.resolve();
	const progress = (n: number) => {
		done = n;
		// Progress is written in order and never waited for by the commit itself.
		writing = writing.then(() =>
			db
				.updateTable('import_preview')
				.set({ job_done: n })
				.where('token', '=', token)
				.execute()
				.catch(() => {})
		);
	};
	const end = (values: { job_status: 'done' | 'failed'; job_result?: string; job_error?: string; job_done?: number }) =>
		writing.then(() =>
			db
				.updateTable('import_preview')
				.set({ ...values, sheet: null, expires_at: Date.now() + TTL_MS })
				.where('token', '=', token)
				.execute()
		);
	return run(progress).then(
		(result) => end({ job_status: 'done', job_result: JSON.stringify(result), job_done: total }).then(() => {}),
		(e) => end({ job_status: 'failed', job_error: describeFailure(e, done) }).then(() => {})
	);
}

/** The commit started under `token` by this officer, as last written by whichever instance runs it. */
export async function importJob<R = unknown>(db: Db, token: string, userId: number): Promise<ImportJob<R> | null> {
	const row = await db
		.selectFrom('import_preview')
		.select(['user_id', 'job_status', 'job_total', 'job_done', 'job_result', 'job_error'])
		.where('token', '=', token)
		.where('user_id', '=', userId)
		.where('job_status', 'is not', null)
		.executeTakeFirst();
	if (!row?.job_status) return null;
	return {
		userId: row.user_id,
		total: row.job_total,
		done: row.job_done,
		status: row.job_status,
		result: row.job_result ? (JSON.parse(row.job_result) as R) : undefined,
		error: row.job_error ?? undefined
	};
}
