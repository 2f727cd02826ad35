/**
 * Issue #18: a survey submission does not queue behind a coding chunk of another instance (PostgreSQL,
 * src/lib/server/coding/store-pg.ts `AGGREGATE_FLUSH`, migration 2026-12-14-0200). The chunk's shared aggregate rows
 * and the data version are changed in its COMMIT (a deferred trigger), not by its write, so while the chunk's
 * transaction is still open after its write (the app's round trips: the recode's progress row, the COMMIT) a
 * submission of the same question and respondent key (the same analysis_agg_answer and _coding rows) and one of
 * another question (only its COMMIT's data-version bump in common) both commit without waiting on a lock, seen from
 * pg_stat_activity and pg_locks, not from wall time. `AGGREGATE_FLUSH=off` (the write upserts them, as before): the
 * submission waits on the chunk's transaction until it commits. Either way every aggregate equals a rebuild, and the
 * data version moves. SQLite (whose coder does not read the switch) codes alike under both values.
 *
 * An import chunk (import/plan.ts, import/flush.ts, migration 2026-12-14-0210) likewise: its per-question counts
 * (analysis_agg_coding, _language, _reading, shared by every submission of the question) are added in its COMMIT, so
 * a survey submission of a question the chunk imports commits while the chunk is still open (off: its answer insert
 * waits on the chunk). A whole import leaves every aggregate equal to a rebuild with the switch on and off.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { loadSmallFixture, type Fixture } from './fixtures/analysis/small';
import { expectRebuildUnchanged } from './helpers/aggregates';
import { codings } from './helpers/coding-reset';
import { storeVerdictsPg } from '../src/lib/server/coding/store-pg';
import { storeVerdicts } from '../src/lib/server/coding/recode';
import { storeSubmissions } from '../src/lib/server/submissions/save';
import { deferSharedAnswerCounts } from '../src/lib/server/import/flush';
import { parseUpload } from '../src/lib/server/import/parse';
import { commitImport, fileHash, guessMapping, planImport } from '../src/lib/server/import/plan';
import { addUser } from './helpers/users';
import type { Db } from '../src/lib/server/db/connect';

const dataVersion = async (db: Db) =>
	Number((await db.selectFrom('data_version').select('version').where('id', '=', 1).executeTakeFirstOrThrow()).version);

/** A session of this database waiting for a lock now: its pid and for how long (pg_locks.waitstart), or none. */
async function lockWaiter(db: Db): Promise<{ pid: number; ms: number; query: string } | null> {
	const r = await sql<{ pid: number; ms: number; query: string }>`
		select a.pid, extract(epoch from (clock_timestamp() - min(l.waitstart))) * 1000 as ms, a.query
		from pg_stat_activity a join pg_locks l on l.pid = a.pid and not l.granted
		where a.datname = current_database() and a.wait_event_type = 'Lock'
		group by a.pid, a.query limit 1`.execute(db);
	return r.rows[0] ? { ...r.rows[0], ms: Number(r.rows[0].ms) } : null;
}

/**
 * Watches a submission stored while a chunk holds its transaction open: whether it committed before the chunk, and
 * the longest lock wait seen (with the waiting statement), until it settles or has waited 300 ms (it would wait for
 * good: the chunk is held until this returns).
 */
async function watchBesideOpenChunk(
	db: Db,
	submission: Promise<unknown>
): Promise<{ committedBeforeChunk: boolean; waitedMs: number; waited: string | null }> {
	let settled = false;
	void submission.finally(() => (settled = true)).catch(() => {});
	let waitedMs = 0;
	let waited: string | null = null;
	const deadline = Date.now() + 30_000;
	while (!settled && Date.now() < deadline) {
		const w = await lockWaiter(db);
		if (w) {
			waitedMs = Math.max(waitedMs, w.ms);
			waited = w.query.replace(/\s+/g, ' ').slice(0, 60);
			if (w.ms >= 300) break;
		}
		await new Promise((r) => setTimeout(r, 5));
	}
	return { committedBeforeChunk: settled, waitedMs: Math.round(waitedMs), waited };
}

describeEachEngine('a coding chunk and an import chunk change the shared aggregates in their COMMIT', (engine) => {
	let fresh: FreshDb;
	let fx: Fixture;
	let q1: number;

	beforeAll(async () => {
		process.env.ANALYSIS_CACHE = 'off';
		fresh = await preparedDatabase(engine);
		fx = await loadSmallFixture(fresh.db);
		q1 = fx.c.questions.find((q) => q.key === 'q1')!.id;
	}, 180_000);
	afterEach(() => {
		delete process.env.AGGREGATE_FLUSH;
	});
	afterAll(async () => {
		await fresh?.drop();
	});

	/** The fixture's q1 answers uncoded and without codings (the triggers keep the aggregates). */
	async function uncodeQ1(db: Db) {
		const ids = (await db.selectFrom('answer').select('id').where('question_id', '=', q1).orderBy('id').execute()).map(
			(a) => a.id
		);
		await db.deleteFrom('answer_theme').where('answer_id', 'in', ids).execute();
		await db.updateTable('answer').set({ coded_at: null }).where('id', 'in', ids).execute();
		await expectRebuildUnchanged(db, 'uncoded');
		// Verdicts that code every one of them (friends), and family for every other one.
		const verdicts = ids.flatMap((answer_id, i) => [
			{ answer_id, theme_id: fx.themes.friends, confidence: 0.71 },
			...(i % 2 ? [] : [{ answer_id, theme_id: fx.themes.family, confidence: 0.42 }])
		]);
		return { ids, verdicts };
	}

	/**
	 * A survey submission of `key` as S1's young person gave it (online, Bromsgrove, an "About you" answer, as the
	 * bench's), stored in its own transaction.
	 */
	const submit = (db: Db, key: 'q1' | 'q2') =>
		db.transaction().execute((tx) =>
			storeSubmissions(tx, [
				{
					consultation: fx.c,
					input: {
						id: randomUUID(),
						district: 'bromsgrove',
						perspectives: [{ group: 'young_person', answers: { [key]: `a new answer to ${key}` } }],
						about: { ageBand: '18-24' }
					} as never,
					meta: { channel: 'online' }
				}
			])
		);

	/**
	 * Writes a chunk (storeVerdictsPg) in a transaction held open after its write, stores a submission of `key` on
	 * another connection meanwhile, and says whether it committed while the chunk was still open, and the longest lock
	 * wait seen (ms). Then the chunk commits.
	 */
	async function submissionBesideOpenChunk(key: 'q1' | 'q2') {
		const db = fresh.db;
		const { ids, verdicts } = await uncodeQ1(db);
		const v0 = await dataVersion(db);
		let written!: () => void;
		const wrote = new Promise<void>((r) => (written = r));
		let release!: () => void;
		const released = new Promise<void>((r) => (release = r));
		const chunk = db.transaction().execute(async (tx) => {
			await storeVerdictsPg(tx, ids, verdicts, '2026-12-14T10:00:00.000Z');
			written();
			await released; // the app's round trips between the write and the COMMIT
		});
		await wrote;
		const submission = submit(db, key);
		const seen = await watchBesideOpenChunk(db, submission);
		release();
		await chunk;
		await submission;
		await expectRebuildUnchanged(
			db,
			`after the chunk and a ${key} submission, AGGREGATE_FLUSH=${process.env.AGGREGATE_FLUSH ?? 'unset'}`
		);
		expect(await dataVersion(db)).toBeGreaterThan(v0);
		// The chunk coded its answers.
		const coded = await db
			.selectFrom('answer')
			.select('id')
			.where('id', 'in', ids)
			.where('coded_at', 'is not', null)
			.execute();
		expect(coded.length).toBe(ids.length);
		return seen;
	}

	it.skipIf(engine === 'sqlite')(
		'a submission of the same question and key, and one of another question, commit while the chunk is still open',
		async () => {
			const same = await submissionBesideOpenChunk('q1');
			const other = await submissionBesideOpenChunk('q2');
			expect({ same, other }).toEqual({
				same: { committedBeforeChunk: true, waitedMs: 0, waited: null },
				other: { committedBeforeChunk: true, waitedMs: 0, waited: null }
			});
		},
		120_000
	);

	it.skipIf(engine === 'sqlite')(
		'AGGREGATE_FLUSH=off: the submission waits on the chunk until it commits (the before)',
		async () => {
			process.env.AGGREGATE_FLUSH = 'off';
			const same = await submissionBesideOpenChunk('q1');
			const other = await submissionBesideOpenChunk('q2');
			expect(same.committedBeforeChunk).toBe(false);
			expect(same.waitedMs).toBeGreaterThanOrEqual(300);
			expect(other.committedBeforeChunk).toBe(false);
			expect(other.waitedMs).toBeGreaterThanOrEqual(300);
			// Another question's submission waits in its COMMIT (the data version's row).
			expect(other.waited).toMatch(/^commit/i);
		},
		120_000
	);

	it('codes alike with the switch on and off, every aggregate equal to a rebuild', async () => {
		const db = fresh.db;
		const out: Record<string, unknown> = {};
		for (const arm of ['off', 'on']) {
			process.env.AGGREGATE_FLUSH = arm;
			const { ids, verdicts } = await uncodeQ1(db);
			const v0 = await dataVersion(db);
			// Two chunks in one transaction: the flush sums both (the second registers nothing new).
			const half = Math.ceil(ids.length / 2);
			const model = {
				key: 'flush-test',
				themeIds: new Map([
					['friends', fx.themes.friends],
					['family', fx.themes.family]
				])
			};
			const code = (part: number[]) =>
				part.map((id) => ({
					id: String(id),
					themes: verdicts
						.filter((v) => v.answer_id === id)
						.map((v) => ({ id: v.theme_id === fx.themes.friends ? 'friends' : 'family', confidence: v.confidence }))
				}));
			await storeVerdicts(
				db,
				model,
				ids.slice(0, half).map((id) => ({ id })),
				code(ids.slice(0, half)) as never,
				null
			);
			await db.transaction().execute(async (tx) => {
				if (engine === 'postgres') {
					const rest = ids.slice(half);
					const mid = Math.ceil(rest.length / 2);
					for (const part of [rest.slice(0, mid), rest.slice(mid)])
						await storeVerdictsPg(
							tx,
							part,
							verdicts.filter((v) => part.includes(v.answer_id)),
							'2026-12-14T11:00:00.000Z'
						);
				}
			});
			if (engine === 'sqlite')
				await storeVerdicts(
					db,
					model,
					ids.slice(half).map((id) => ({ id })),
					code(ids.slice(half)) as never,
					null
				);
			out[arm] = { codings: await codings(db), aggregates: await expectRebuildUnchanged(db, `AGGREGATE_FLUSH=${arm}`) };
			expect(await dataVersion(db)).toBeGreaterThan(v0);
			if (engine === 'postgres') {
				// Nothing left behind: the flush's row goes in its COMMIT.
				const left = await sql<{ n: number }>`select count(*)::int as n from aggregate_flush`.execute(db);
				expect(left.rows[0].n).toBe(0);
			}
		}
		expect(out.on).toEqual(out.off);
	}, 120_000);
	/**
	 * An import chunk's transaction as commitImport writes it (plan.ts: deferSharedAnswerCounts, then storeSubmissions of
	 * its rows), held open after its inserts; a survey submission of the same question meanwhile (another channel,
	 * group and district: only the per-question rows in common). As submissionBesideOpenChunk.
	 */
	async function submissionBesideOpenImport() {
		const db = fresh.db;
		const v0 = await dataVersion(db);
		let written!: () => void;
		const wrote = new Promise<void>((r) => (written = r));
		let release!: () => void;
		const released = new Promise<void>((r) => (release = r));
		const chunk = db.transaction().execute(async (tx) => {
			await deferSharedAnswerCounts(tx);
			await storeSubmissions(
				tx,
				Array.from({ length: 20 }, (_, i) => ({
					consultation: fx.c,
					input: {
						id: randomUUID(),
						district: 'redditch',
						perspectives: [{ group: i % 2 ? 'child' : 'young_person', answers: { q1: `imported answer ${i}` } }]
					} as never,
					meta: { channel: 'import' as const }
				}))
			);
			written();
			await released;
		});
		await wrote;
		const submission = submit(db, 'q1');
		const seen = await watchBesideOpenChunk(db, submission);
		release();
		await chunk;
		await submission;
		await expectRebuildUnchanged(
			db,
			`after an import chunk and a submission, AGGREGATE_FLUSH=${process.env.AGGREGATE_FLUSH ?? 'unset'}`
		);
		expect(await dataVersion(db)).toBeGreaterThan(v0);
		if (engine === 'postgres') {
			const left = await sql<{ n: number }>`select count(*)::int as n from aggregate_flush`.execute(db);
			expect(left.rows[0].n).toBe(0);
		}
		return seen;
	}

	it.skipIf(engine === 'sqlite')(
		'a submission of a question an import chunk writes commits while the chunk is still open',
		async () => {
			expect(await submissionBesideOpenImport()).toEqual({ committedBeforeChunk: true, waitedMs: 0, waited: null });
		},
		120_000
	);

	it.skipIf(engine === 'sqlite')(
		'AGGREGATE_FLUSH=off: the submission waits on the import chunk until it commits (the before)',
		async () => {
			process.env.AGGREGATE_FLUSH = 'off';
			const r = await submissionBesideOpenImport();
			expect(r.committedBeforeChunk).toBe(false);
			expect(r.waitedMs).toBeGreaterThanOrEqual(300);
			expect(r.waited).toMatch(/^insert into "answer"/);
		},
		120_000
	);

	it('an import commits alike with the switch on and off, every aggregate equal to a rebuild', async () => {
		const db = fresh.db;
		const actorId = (await addUser(db, { email: `flush-${engine}@x.gov.uk`, role: 'admin' }, null)).id;
		const counts: Record<string, unknown> = {};
		for (const arm of ['off', 'on']) {
			process.env.AGGREGATE_FLUSH = arm;
			const lines = Array.from(
				{ length: 60 },
				(_, i) =>
					`"${arm} import ${i}: somewhere to go",q${(i % 3) + 1},${['child', 'young_person', 'parent_carer'][i % 3]},redditch`
			);
			const buf = new TextEncoder().encode(`text,question,group,district\n${lines.join('\n')}\n`);
			const sheet = await parseUpload(buf, `${arm}.csv`);
			const plan = planImport(fx.c, sheet, guessMapping(sheet.headers), fileHash(buf));
			const v0 = await dataVersion(db);
			const result = await commitImport(db, fx.c, plan, {
				skipBad: false,
				actorId,
				filename: `${arm}.csv`,
				hash: fileHash(buf),
				giveWayMs: 0
			});
			expect(result.created).toBe(60);
			expect(await dataVersion(db)).toBeGreaterThan(v0);
			const snapshot = await expectRebuildUnchanged(db, `imported, AGGREGATE_FLUSH=${arm}`);
			counts[arm] = snapshot.analysis_agg_coding;
		}
		// The second import moved the per-question rows (the comparison is not of untouched tables).
		expect(counts.on).not.toEqual(counts.off);
	}, 120_000);
});
