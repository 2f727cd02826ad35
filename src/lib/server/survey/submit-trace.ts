import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * A timeline of the submission writer's grouped commits, for finding where a request's time goes between its
 * arrival and its answer (docs/deployment.md, twentieth round). Off unless SUBMIT_TRACE=1 (read as each batch
 * starts). Each batch keeps its size, when each of its submissions was queued, and a time for each step it went
 * through (performance.now(), ms), with the event loop's busy time so far at that step (eventLoopUtilization's
 * `active`), so the wall time between two steps splits into what the event loop did and what it sat idle:
 *
 * - `gatherStart` / `gatherEnd` (and `ranOut`, `skipped`): the wait for the respondents just answered (writer.ts);
 * - `begin`: the batch taken off the queue; `stored`: its work done, only the COMMIT left (batch-store.ts);
 * - `commitStart` / `commitEnd`: the COMMIT statement (connect.ts, the driver);
 * - `syncStart` / `syncEnd`: the log's sync in the thread pool after the commit (connect.ts; the flush promise);
 * - `posted` / `replied`: the batch handed to the writer thread and its answer back (writer-thread path);
 * - `settled`: every submission's promise settled (the answers are written in the microtasks that follow);
 * - `answered`: the first macrotask after that (the responses have been handed to the sockets by then).
 *
 * The last TRACE_BATCHES batches are kept (a ring). On SIGUSR2 the kept batches are written as JSON to
 * SUBMIT_TRACE_FILE (default: submit-trace-PID.json in the system's temporary folder), through a temporary file
 * renamed into place, and the ring is emptied (scripts/bench/lib/submit-trace.ts reads it). Bench only: nothing
 * in the writer's behaviour depends on it.
 */
/**
 * One submission's own timeline (lean route only, SUBMIT_TRACE=1; docs/deployment.md, twenty-second round), each a
 * performance.now() time: `received` its whole body read (the lean route called), `prior` when the previous answer
 * on the same connection was written (the client's round trip is `received - prior`), `validated` parsed, checked
 * against the consultation and about to be queued, `queued` in the writer's queue (after its texts were screened
 * when SUBMIT_PREPARE=early), `written` its answer handed to the socket. The batch it went in gives the rest.
 */
export interface SubmissionTrace {
	received: number;
	prior?: number;
	validated?: number;
	queued?: number;
	written?: number;
}

const submissionTraces = new AsyncLocalStorage<SubmissionTrace>();

/** Runs `work` with a new submission timeline when tracing is on (lean-http.ts), else just runs it. */
export function traceSubmission<T>(prior: number | undefined, work: (t: SubmissionTrace | null) => T): T {
	if (!traceOn()) return work(null);
	const t: SubmissionTrace = { received: performance.now(), prior };
	return submissionTraces.run(t, () => work(t));
}

/** The submission timeline of the request being handled, if any (only looked up when tracing is on). */
export function submissionTrace(): SubmissionTrace | null {
	return traceOn() ? (submissionTraces.getStore() ?? null) : null;
}

export interface BatchTrace {
	size: number;
	/** When each submission of the batch was queued (saveOnline). */
	arrivals: number[];
	/** Step name → [time, event loop busy ms so far]. */
	marks: Record<string, [number, number]>;
	ranOut?: boolean;
	skipped?: boolean;
	pipelined?: boolean;
	/** Each submission's own timeline, where it came through the lean route (SubmissionTrace). */
	subs?: (SubmissionTrace | null)[];
}

export const TRACE_BATCHES = 20_000;

let ring: BatchTrace[] = [];
let next = 0;
let installed = false;
/** The batch whose transaction is running on the event loop's connection (the driver's marks go to it). */
let current: BatchTrace | null = null;

export function traceOn(): boolean {
	return process.env.SUBMIT_TRACE === '1';
}

/** The kept batches, oldest first, and the ring emptied (dump; tests). */
export function takeBatches(): BatchTrace[] {
	const kept = ring.length < TRACE_BATCHES ? ring : [...ring.slice(next), ...ring.slice(0, next)];
	ring = [];
	next = 0;
	return kept;
}

function dump() {
	const kept = takeBatches();
	const file = process.env.SUBMIT_TRACE_FILE || path.join(os.tmpdir(), `submit-trace-${process.pid}.json`);
	const tmp = `${file}.${process.pid}.tmp`;
	fs.writeFileSync(tmp, JSON.stringify({ pid: process.pid, batches: kept }));
	fs.renameSync(tmp, file);
}

/** A new batch's record (null when tracing is off), kept in the ring. */
export function traceBatch(arrivals: number[]): BatchTrace | null {
	if (!traceOn()) return null;
	if (!installed) {
		installed = true;
		process.on('SIGUSR2', dump);
	}
	const b: BatchTrace = { size: arrivals.length, arrivals, marks: {} };
	if (ring.length < TRACE_BATCHES) ring.push(b);
	else {
		ring[next] = b;
		next = (next + 1) % TRACE_BATCHES;
	}
	return b;
}

/** Now, and the event loop's busy ms so far. */
export function stamp(): [number, number] {
	return [performance.now(), performance.eventLoopUtilization().active];
}

/** Records a step of a batch: now, and the event loop's busy ms so far. */
export function mark(b: BatchTrace | null | undefined, step: string): void {
	if (b) b.marks[step] = stamp();
}

/** The batch now in a transaction on the event loop's connection (set and cleared by batch-store.ts). */
export function setCurrentBatch(b: BatchTrace | null): void {
	current = b;
}
export function currentBatch(): BatchTrace | null {
	return current;
}
