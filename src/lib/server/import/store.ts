import { randomBytes } from 'node:crypto';
import type { ParsedSheet } from './parse';

/**
 * Parsed uploads kept between the preview and the commit, in this process's
 * memory, under a random token bound to the officer who uploaded, for 30
 * minutes. (With several app instances, the commit must reach the same one, or
 * the officer uploads again: nothing is half-written either way.)
 */
export interface HeldUpload {
	userId: number;
	consultationId: number;
	filename: string;
	hash: string;
	sheet: ParsedSheet;
	expires: number;
	/** Characters of cell text held, to bound the memory all held uploads take together. */
	chars: number;
}

const TTL_MS = 30 * 60_000;
const MAX_HELD = 20;
/** About 100 MB of strings at most, whatever the uploads: the oldest are let go first. */
const MAX_HELD_CHARS = 48 * 1024 * 1024;
const held = new Map<string, HeldUpload>();

function sweep(now = Date.now()) {
	for (const [k, v] of held) if (v.expires <= now) held.delete(k);
	let chars = 0;
	for (const v of held.values()) chars += v.chars;
	while (held.size > MAX_HELD || (held.size > 1 && chars > MAX_HELD_CHARS)) {
		const [k, v] = held.entries().next().value!;
		held.delete(k);
		chars -= v.chars;
	}
}

export function holdUpload(upload: Omit<HeldUpload, 'expires' | 'chars'>): string {
	const token = randomBytes(18).toString('base64url');
	let chars = 0;
	for (const r of upload.sheet.rows) for (const c of r.cells) chars += c.length;
	held.set(token, { ...upload, chars, expires: Date.now() + TTL_MS });
	sweep();
	return token;
}

export function heldUpload(token: string, userId: number): HeldUpload | null {
	sweep();
	const h = held.get(token);
	return h && h.userId === userId ? h : null;
}

export function releaseUpload(token: string): void {
	held.delete(token);
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
	finished: Promise<void>;
	expires: number;
}

const jobs = new Map<string, ImportJob>();

export function startImportJob<R>(
	token: string,
	userId: number,
	total: number,
	run: (progress: (done: number) => void) => Promise<R>,
	describeFailure: (e: unknown, done: number) => string
): ImportJob<R> {
	for (const [k, v] of jobs) if (v.expires <= Date.now() && v.status !== 'running') jobs.delete(k);
	const job: ImportJob<R> = {
		userId,
		total,
		done: 0,
		status: 'running',
		finished: Promise.resolve(),
		expires: Date.now() + TTL_MS
	};
	job.finished = run((done) => {
		job.done = done;
	}).then(
		(result) => {
			job.status = 'done';
			job.result = result;
			job.done = total;
		},
		(e) => {
			job.status = 'failed';
			job.error = describeFailure(e, job.done);
		}
	);
	jobs.set(token, job as ImportJob);
	return job;
}

export function importJob(token: string, userId: number): ImportJob | null {
	const j = jobs.get(token);
	return j && j.userId === userId ? j : null;
}
