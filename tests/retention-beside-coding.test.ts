/**
 * Retention and deletion on request while the coder is mid-way through a consultation's answers (issue #19's
 * growing writer transaction, helper code37; this test: ci39). On SQLite the coder's writer thread keeps one
 * transaction open across chunks while no main-connection writer wants the lock (coding/writer-worker.ts,
 * db/write-wanted.ts), and retention ends by emptying the write-ahead log (purge.ts reclaimSpace, truncateLog), which
 * cannot happen while another connection holds a transaction open. What a user would notice: the retention run (and a
 * deletion on request) completes, within a bound, with the deleted words nowhere (every text column; on SQLite the
 * raw bytes of the file and its log), and the coding run finishes with every answer that still has words coded and
 * the kept aggregates equal to a rebuild. PostgreSQL has no writer thread: the same flow, the words nowhere in its
 * text columns.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { expectRebuildUnchanged } from './helpers/aggregates';
import { forgetCodings } from './helpers/coding-reset';
import { whereIsWord } from './helpers/marker-search';
import { until } from './helpers/wait';
import { SLUG } from './helpers/consultation';
import { generateAnswers } from '../scripts/generate-answers';
import { getConsultation, type ConsultationView } from '../src/lib/server/consultations/queries';
import { readDefinition } from '../src/lib/server/consultations/definition';
import { upsertConsultation } from '../src/lib/server/consultations/store';
import { saveSubmission } from '../src/lib/server/submissions/save';
import { submissionSchema } from '../src/lib/schemas/submission';
import { applyRetention, deleteByReference } from '../src/lib/server/retention/retention';
import { codeUncoded, codingJobState } from '../src/lib/server/coding/recode';
import { stopEngineThread } from '../src/lib/server/coding/engine';

/** An old consultation (a copy of the shipped one under another slug) whose answers are past their retention date. */
const OLD_SLUG = 'retired-consultation-2016';
/** Retention runs "today": the old consultation is due, the shipped one (kept until 2027-12-31) is not. */
const TODAY = new Date('2025-06-01T12:00:00Z');
/** Generated answers to code: enough that the coder is still busy once its first chunks are written. */
const ANSWERS = 6_000;
/** How long retention and the deletion may take beside the coder (the log's own retry patience is 20 s). */
const BOUND_MS = 60_000;

describeEachEngine('retention and deletion on request while the coder is mid-way', (engine) => {
	// PostgreSQL: a deletion on request beside the coder can deadlock with its chunk (the deletion's cascade changes
	// aggregate rows, then waits for the answers the chunk locked; the chunk, holding them, waits for those rows:
	// PostgreSQL's log, 5 Dec). PostgreSQL ends one side; the victim now runs again (db/retry-conflicts.ts, around the
	// chunk, the deletion and retention's purge), so both complete. RETENTION_CODING_PG_DELETE=after runs the
	// deletion once the coder has finished, as this test did before.
	const deleteBeside = engine === 'sqlite' || process.env.RETENTION_CODING_PG_DELETE !== 'after';
	let fresh: FreshDb;
	let current: ConsultationView;
	let old: ConsultationView;
	const env = { ANALYSIS_CACHE: process.env.ANALYSIS_CACHE };

	const submit = (c: ConsultationView, text: string) =>
		saveSubmission(
			fresh.db,
			c,
			submissionSchema.parse({
				id: randomUUID(),
				perspectives: [{ group: 'child', answers: { q1: text, q2: 'school' } }]
			}),
			{ channel: 'online' }
		);

	beforeAll(async () => {
		process.env.ANALYSIS_CACHE = 'off';
		fresh = await preparedDatabase(engine);
		const def = readDefinition(path.join('db/consultations', `${SLUG}.json`));
		await upsertConsultation(fresh.db, {
			...def,
			definition: { ...def.definition, slug: OLD_SLUG, retentionUntil: '2020-01-01' }
		});
		current = (await getConsultation(fresh.db, SLUG))!;
		old = (await getConsultation(fresh.db, OLD_SLUG))!;
		await generateAnswers(fresh.db, { answers: ANSWERS, seed: 39 });
	}, 300_000);
	afterAll(async () => {
		if (env.ANALYSIS_CACHE === undefined) delete process.env.ANALYSIS_CACHE;
		else process.env.ANALYSIS_CACHE = env.ANALYSIS_CACHE;
		await stopEngineThread();
		await fresh?.drop();
	});

	it('both complete, the words are nowhere, and every answer with words is coded as a rebuild counts it', async () => {
		const db = fresh.db;
		const RETAINED = 'Marrowfinch';
		const ON_REQUEST = 'Quillbramble';
		const KEPT = 'Saltmeadow';
		for (let i = 0; i < 20; i++) await submit(old, `${RETAINED} ${i} told me about the youth club`);
		const gone = await submit(current, `${ON_REQUEST} is my street`);
		await submit(current, `${KEPT} park is where we go`);
		await forgetCodings(db);
		expect(await whereIsWord(fresh, engine, RETAINED)).not.toEqual([]);
		expect(await whereIsWord(fresh, engine, ON_REQUEST)).not.toEqual([]);
		const uncoded = async () =>
			Number(
				(
					await db
						.selectFrom('answer')
						.select((eb) => eb.fn.countAll().as('n'))
						.where('text', 'is not', null)
						.where('coded_at', 'is', null)
						.where(
							'question_id',
							'in',
							current.questions.map((q) => q.id)
						)
						.executeTakeFirstOrThrow()
				).n
			);
		const toCode = await uncoded();
		expect(toCode).toBeGreaterThan(ANSWERS / 2);

		// The coder's run, as the background job starts it, and retention once it has written its first chunk.
		let finished = false;
		const run = codeUncoded(db).finally(() => (finished = true));
		run.catch(() => {});
		await until(() => finished || (codingJobState()?.done ?? 0) > 0, 'the coder writes its first chunk', 120_000, 2);
		expect(finished, 'the coder was still busy when retention started (premise)').toBe(false);
		const left = await uncoded();

		const t0 = performance.now();
		const retention = await applyRetention(db, { now: TODAY });
		const deleted = deleteBeside ? await deleteByReference(db, gone.reference) : undefined;
		const took = performance.now() - t0;
		expect(retention.consultations).toEqual([{ slug: OLD_SLUG, retentionUntil: '2020-01-01', answersCleared: 40 }]);
		expect(took, 'retention (and the deletion) beside the coder').toBeLessThan(BOUND_MS);
		// Gone as soon as retention has returned, the coder still writing (its later writes would wash the log).
		expect(await whereIsWord(fresh, engine, RETAINED), 'once retention has returned').toEqual([]);
		if (deleted) expect(await whereIsWord(fresh, engine, ON_REQUEST), 'once the deletion has returned').toEqual([]);

		const coded = await run;
		expect(deleted ?? (await deleteByReference(db, gone.reference))).toMatchObject({ id: gone.id, answers: 2 });
		// The run overlapped the purges (answers were still uncoded when they began), and left none with words uncoded.
		expect(left).toBeGreaterThan(0);
		expect(coded).toBeGreaterThan(0);
		expect(await uncoded()).toBe(0);
		const uncodedWithWords = await db
			.selectFrom('answer')
			.select((eb) => eb.fn.countAll().as('n'))
			.where('text', 'is not', null)
			.where('coded_at', 'is', null)
			.executeTakeFirstOrThrow();
		expect(Number(uncodedWithWords.n), 'answers with words left uncoded').toBe(0);
		await expectRebuildUnchanged(db, 'after coding beside retention and a deletion on request');

		expect(await whereIsWord(fresh, engine, RETAINED)).toEqual([]);
		expect(await whereIsWord(fresh, engine, ON_REQUEST)).toEqual([]);
		// The search finds words that were kept (it can see them at all).
		expect(await whereIsWord(fresh, engine, KEPT)).toContain('answer.text');
	}, 600_000);
});
