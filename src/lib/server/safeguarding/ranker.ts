/**
 * The learned ranker in the server: gathers staff decisions as labels, trains in a worker thread
 * (never on the request path), stores each model (weights, when, from how many decisions) and
 * writes every answer's model score. Runs at start and after decisions, debounced.
 */
import { PostgresAdapter, sql, type ExpressionBuilder } from 'kysely';
import type { Database } from '../db/schema';
import type { Db } from '../db/connect';
import { withoutDerivedTriggers } from '../db/derived-triggers';
import { canTrain, type Label } from '../../safeguarding/ranker/index';
import type { ScreenResult } from '../../safeguarding/index';
import { SCORING_VERSION } from '../../safeguarding/version';
import { afterAnswersStored } from '../submissions/answer-pipeline';
import { nowIso } from '../util/time';
import type { RankerJob, ScreeningThread } from './ranker-worker';
import { claimLease, releaseLease, renewLease } from '../jobs/lease';
import { leaseMs } from '../coding/queue';

export interface LabelRow extends Label {
	answerId: number;
	consultationId: number;
}

/**
 * One label per answer: a staff decision on its flag (referred = 1, no action = 0) wins, because
 * it is the considered one; otherwise a concern someone raised counts as 1.
 */
export async function collectLabels(db: Db): Promise<LabelRow[]> {
	const decided = await db
		.selectFrom('safeguarding_flag as f')
		.innerJoin('answer as a', 'a.id', 'f.answer_id')
		.innerJoin('question as q', 'q.id', 'a.question_id')
		.select(['a.id', 'a.text', 'q.consultation_id', 'f.status'])
		.where('f.status', 'in', ['referred', 'no_action'])
		.where('a.text', 'is not', null)
		.execute();
	const concerns = await db
		.selectFrom('safeguarding_concern as sc')
		.innerJoin('answer as a', 'a.id', 'sc.answer_id')
		.innerJoin('question as q', 'q.id', 'a.question_id')
		.select(['a.id', 'a.text', 'q.consultation_id'])
		.where('a.text', 'is not', null)
		.distinct()
		.execute();
	const byAnswer = new Map<number, LabelRow>();
	for (const c of concerns)
		byAnswer.set(c.id, { answerId: c.id, consultationId: c.consultation_id, text: c.text!, label: 1 });
	for (const d of decided)
		byAnswer.set(d.id, {
			answerId: d.id,
			consultationId: d.consultation_id,
			text: d.text!,
			label: d.status === 'referred' ? 1 : 0
		});
	return [...byAnswer.values()].sort((a, b) => a.answerId - b.answerId);
}

/** The scopes with enough labels: each such consultation, and the installation as a whole. */
export function scopesToTrain(labels: LabelRow[]): RankerJob['scopes'] {
	const scopes: RankerJob['scopes'] = [];
	const strip = (l: LabelRow[]) => l.map(({ text, label }) => ({ text, label }));
	if (canTrain(labels)) scopes.push({ consultationId: null, examples: strip(labels) });
	const per = new Map<number, LabelRow[]>();
	for (const l of labels) per.set(l.consultationId, [...(per.get(l.consultationId) ?? []), l]);
	for (const [consultationId, l] of [...per].sort((a, b) => a[0] - b[0]))
		if (canTrain(l)) scopes.push({ consultationId, examples: strip(l) });
	return scopes;
}

export interface TrainOutcome {
	trained: boolean;
	decisions: number;
	scored: number;
}

/**
 * Trains every scope that has enough labels and re-scores all answers that still have text.
 * Only the worker does the arithmetic; this thread reads, then writes in small transactions.
 */
export async function trainAndRescore(db: Db): Promise<TrainOutcome> {
	const labels = await collectLabels(db);
	const scopes = scopesToTrain(labels);
	if (scopes.length === 0) return { trained: false, decisions: labels.length, scored: 0 };
	// Read in pages, yielding between them: one query for 100,000 texts would hold this thread.
	const answers: RankerJob['answers'] = [];
	for (let after = 0; ;) {
		const page = await db
			.selectFrom('answer as a')
			.innerJoin('question as q', 'q.id', 'a.question_id')
			.select(['a.id', 'a.text', 'q.consultation_id'])
			.where('a.text', 'is not', null)
			.where('a.id', '>', after)
			.orderBy('a.id')
			.limit(5000)
			.execute();
		for (const a of page) answers.push({ id: a.id, consultationId: a.consultation_id, text: a.text! });
		if (page.length < 5000) break;
		after = page[page.length - 1].id;
		await new Promise((r) => setImmediate(r));
	}
	// Imported when used: in the built server the worker module is then a chunk of its own (ranker-worker.ts).
	const { runRankerInWorker } = await import('./ranker-worker');
	const result = await runRankerInWorker({ scopes, answers });
	const now = nowIso();
	await db.transaction().execute(async (tx) => {
		for (const m of result.models) {
			const examples = scopes.find((s) => s.consultationId === m.consultationId)!.examples;
			const positives = examples.filter((e) => e.label === 1).length;
			await tx
				.insertInto('safeguarding_model')
				.values({
					consultation_id: m.consultationId,
					weights: JSON.stringify(m.model),
					decisions: examples.length,
					positives,
					negatives: examples.length - positives,
					trained_at: now
				})
				.execute();
			// Keep only the newest model of each scope: older weights were learned from the same words.
			await tx
				.deleteFrom('safeguarding_model')
				.where((eb) =>
					m.consultationId === null ? eb('consultation_id', 'is', null) : eb('consultation_id', '=', m.consultationId)
				)
				.where('trained_at', '<', now)
				.execute();
		}
	});
	await writeScores(db, result.scores);
	return { trained: true, decisions: labels.length, scored: result.scores.length };
}

/** Writes scores in chunks, yielding between them, so requests are answered meanwhile. */
async function writeScores(db: Db, scores: [number, number | null][], chunk = 500): Promise<void> {
	for (let i = 0; i < scores.length; i += chunk) {
		const part = scores.slice(i, i + chunk);
		await db.transaction().execute(async (tx) => {
			// Scores only: no aggregate or cached page reads them, so no data-version bump (derived-triggers.ts).
			await withoutDerivedTriggers(tx, async () => {
				for (const [id, score] of part)
					await tx.updateTable('answer').set({ model_score: score }).where('id', '=', id).execute();
			});
		});
		await new Promise((r) => setImmediate(r));
	}
}

/**
 * Answers whose stored risk score is missing (stored before risk scores existed, or by a tool that bypassed the
 * pipeline) or stale (scored by an older scoring version: the screen or its built-in model changed since,
 * safeguarding/version.ts) are scored again, a small batch at a time with a pause between, so requests are answered
 * meanwhile, and the reading list is ordered by current scores. The screening runs in a worker thread
 * (ranker-worker.ts: after a version bump it is every answer, seconds of CPU per ten thousand), and each batch is
 * written with one multi-row UPDATE. The new score replaces the old one; when the current screen flags an answer
 * that has no flag, a flag is raised (and audited) as when it was stored. A flag is never removed or lowered here:
 * a person decides. An answer scored by a newer version (another instance already running newer code) or edited
 * meanwhile is left alone. `goOn`, asked after each batch, stops it early when it answers false. Returns how many
 * answers were scored.
 */
export async function backfillRiskScores(
	db: Db,
	batch = 100,
	goOn: () => Promise<boolean> = async () => true
): Promise<number> {
	const stale = (eb: ExpressionBuilder<Database, 'answer'>) =>
		eb.or([eb('risk_score', 'is', null), eb('risk_version', 'is', null), eb('risk_version', '<', SCORING_VERSION)]);
	let done = 0;
	let screening: ScreeningThread | null = null;
	/** The next batch after `after`, its screening already under way in the worker. */
	const fetchBatch = async (after: number) => {
		const rows = await db
			.selectFrom('answer')
			.select(['id', 'text'])
			.where('id', '>', after)
			.where('text', 'is not', null)
			.where(stale)
			.orderBy('id')
			.limit(batch)
			.execute();
		if (rows.length === 0) return null;
		screening ??= new (await import('./ranker-worker')).ScreeningThread();
		const screens = screening.screen(rows.map((r) => r.text!));
		// Handled here too: a batch fetched ahead and then not written (goOn said stop) must not reject unheard.
		screens.catch(() => {});
		return { rows, screens };
	};
	try {
		for (let next = await fetchBatch(0); next;) {
			const { rows, screens } = next;
			const scored = (await screens).map((screen, i) => ({ id: rows[i].id, text: rows[i].text!, screen }));
			// The next batch is read before this one is written, and the worker screens it while this one is written. Read
			// first, not beside the write: on PostgreSQL the read and the write take two pooled connections, and a read
			// that lost the race to a later edit would screen the edited text, so which text a batch screens depended on
			// timing (the edit test's PostgreSQL half failed once under load). Only the read waits; the screening overlaps.
			const ahead = await fetchBatch(rows[rows.length - 1].id);
			await db.transaction().execute(async (tx) => {
				const written = new Set(await withoutDerivedTriggers(tx, () => writeRiskScores(tx, scored)));
				// Raises the flags the current screen gives and the answer lacks (an existing flag is kept as it is).
				await afterAnswersStored(
					tx,
					scored.filter((r) => written.has(r.id) && r.screen.level)
				);
				done += written.size;
			});
			if (!(await goOn())) return done;
			await new Promise((r) => setTimeout(r, 5));
			next = ahead;
		}
		return done;
	} finally {
		await (screening as ScreeningThread | null)?.stop();
	}
}

/**
 * Stores the current version's score of each answer in one UPDATE, where the answer still has the text that was
 * screened and a stale score (another instance may have scored it, or someone edited it, meanwhile). Returns the
 * ids written. PostgreSQL: UPDATE … FROM (VALUES …); SQLite: CASE on the id (a VALUES list has no column names
 * there), both with RETURNING.
 */
async function writeRiskScores(tx: Db, rows: { id: number; text: string; screen: ScreenResult }[]): Promise<number[]> {
	if (rows.length === 0) return [];
	const staleSql = sql`(answer.risk_score is null or answer.risk_version is null or answer.risk_version < ${SCORING_VERSION})`;
	if (tx.getExecutor().adapter instanceof PostgresAdapter) {
		const values = sql.join(
			rows.map((r) => sql`(${r.id}::integer, ${r.text}::text, ${r.screen.score}::double precision)`)
		);
		const result = await sql<{ id: number }>`
			update answer set risk_score = v.score, risk_version = ${SCORING_VERSION}
			from (values ${values}) as v(id, text, score)
			where answer.id = v.id and answer.text = v.text and ${staleSql}
			returning answer.id`.execute(tx);
		return result.rows.map((r) => Number(r.id));
	}
	const caseOf = (value: (r: (typeof rows)[number]) => unknown) =>
		sql`case answer.id ${sql.join(
			rows.map((r) => sql`when ${r.id} then ${value(r)}`),
			sql` `
		)} end`;
	const result = await sql<{ id: number }>`
		update answer set risk_score = ${caseOf((r) => r.screen.score)}, risk_version = ${SCORING_VERSION}
		where answer.id in (${sql.join(rows.map((r) => r.id))}) and answer.text = ${caseOf((r) => r.text)} and ${staleSql}
		returning answer.id`.execute(tx);
	return result.rows.map((r) => Number(r.id));
}

export const BACKFILL_LEASE = 'risk-score-backfill';

/**
 * backfillRiskScores done by one instance at a time: every instance starts it at start-up (after a new scoring
 * version is deployed it rescores every answer, so it must not run on the request path or twice), and several
 * instances on one PostgreSQL each scoring the same answers held one another's row locks in turn. The one
 * that takes the lease does it (renewing the lease after each batch); the others skip it and return null.
 * An instance that dies mid-way leaves the rest to whichever instance starts next.
 */
export async function backfillRiskScoresOnce(db: Db, batch = 100, holder?: string): Promise<number | null> {
	const ms = leaseMs();
	if (!(await claimLease(db, BACKFILL_LEASE, ms, Date.now(), holder))) return null;
	try {
		return await backfillRiskScores(db, batch, () => renewLease(db, BACKFILL_LEASE, ms, Date.now(), holder));
	} finally {
		await releaseLease(db, BACKFILL_LEASE, holder);
	}
}

export interface ModelInfo {
	trainedAt: string;
	decisions: number;
	positives: number;
	negatives: number;
	consultationId: number | null;
}

/** The newest model of the installation, or of one consultation when it has its own. */
export async function latestModel(db: Db, consultationId?: number): Promise<ModelInfo | null> {
	let q = db
		.selectFrom('safeguarding_model')
		.select(['trained_at', 'decisions', 'positives', 'negatives', 'consultation_id']);
	q =
		consultationId === undefined
			? q.where('consultation_id', 'is', null)
			: q.where((eb) => eb.or([eb('consultation_id', '=', consultationId), eb('consultation_id', 'is', null)]));
	const row = await q
		.orderBy(sql`case when consultation_id is null then 1 else 0 end`)
		.orderBy('trained_at', 'desc')
		.executeTakeFirst();
	return row
		? {
				trainedAt: row.trained_at,
				decisions: row.decisions,
				positives: row.positives,
				negatives: row.negatives,
				consultationId: row.consultation_id
			}
		: null;
}

/* ---- the background job: one per server process, like the coding job ---- */

let state: {
	db: Db;
	running: Promise<unknown> | null;
	again: boolean;
	timer: ReturnType<typeof setTimeout> | null;
} | null = null;

/** Runs the job now, or once more after the run in progress: never two at a time. */
function runNow(): void {
	const s = state;
	if (!s) return;
	if (s.running) {
		s.again = true;
		return;
	}
	s.running = (async () => {
		try {
			await backfillRiskScoresOnce(s.db);
			do {
				s.again = false;
				await trainAndRescore(s.db);
			} while (s.again && state === s);
		} catch (error) {
			console.error('Safeguarding ranker failed:', error instanceof Error ? error.message : error);
		} finally {
			s.running = null;
		}
	})();
}

export function startRanker(db: Db): void {
	state = { db, running: null, again: false, timer: null };
	runNow();
}

export async function stopRanker(maxWaitMs = 5000): Promise<void> {
	const s = state;
	state = null;
	if (s?.timer) clearTimeout(s.timer);
	if (s?.running) await Promise.race([s.running, new Promise((r) => setTimeout(r, maxWaitMs).unref?.())]);
}

const DELAY_MS = Number(process.env.RANKER_DELAY_MS ?? 5000);

/**
 * A decision or concern was recorded: learn from it soon. Debounced, so a lead clearing twenty
 * flags costs one training run.
 */
export function scheduleRankerTraining(): void {
	const s = state;
	if (!s) return;
	if (s.timer) clearTimeout(s.timer);
	s.timer = setTimeout(() => {
		s.timer = null;
		runNow();
	}, DELAY_MS);
	s.timer.unref?.();
}

/** For tests: the training in progress, if any. */
export function rankerIdle(): Promise<unknown> {
	return state?.running ?? Promise.resolve();
}
