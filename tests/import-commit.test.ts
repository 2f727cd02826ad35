import { SLUG } from './helpers/consultation';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../src/lib/server/db/schema';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { createUser } from '../src/lib/server/users/index';
import { getConsultation, type ConsultationView } from '../src/lib/server/consultations/queries';
import { parseUpload } from '../src/lib/server/import/parse';
import { commitImport, fileHash, guessMapping, planImport, type CommitWork } from '../src/lib/server/import/plan';
import { submissionsInFlight, submissionStarted } from '../src/lib/server/survey/in-flight';
import { submitResponse } from '../src/lib/server/survey/submit';
import { randomUUID } from 'node:crypto';

// Where each answer is screened and redacted: inside or outside an import's write transaction.
const calls = vi.hoisted(() => ({ inside: 0, outside: 0, open: false }));
vi.mock('../src/lib/server/submissions/answer-pipeline', async (original) => {
	const real = await original<typeof import('../src/lib/server/submissions/answer-pipeline')>();
	return {
		...real,
		prepareAnswerText: (text: string) => {
			if (calls.open) calls.inside++;
			else calls.outside++;
			return real.prepareAnswerText(text);
		}
	};
});

/** The database, with every transaction it opens marking `calls.open` while its work runs. */
function watched(db: Kysely<Database>): Kysely<Database> {
	return new Proxy(db, {
		get(target, key) {
			if (key === 'transaction')
				return () => {
					const builder = target.transaction();
					return {
						execute: <T>(work: (tx: Parameters<Parameters<typeof builder.execute>[0]>[0]) => Promise<T>) =>
							builder.execute(async (tx) => {
								calls.open = true;
								try {
									return await work(tx);
								} finally {
									calls.open = false;
								}
							})
					};
				};
			const value = Reflect.get(target, key);
			return typeof value === 'function' ? value.bind(target) : value;
		}
	});
}

describeEachEngine('import commit', (engine) => {
	let db: FreshDb;
	let c: ConsultationView;
	let officer: number;
	beforeAll(async () => {
		db = await preparedDatabase(engine);
		c = (await getConsultation(db.db, SLUG))!;
		officer = (await createUser(db.db, { email: 'o@x.gov.uk', role: 'officer', password: 'password-long-1' }, null)).id;
	});
	afterAll(async () => db?.drop());

	it('screens and redacts every answer before its chunk’s transaction opens, so the transaction only writes', async () => {
		const lines = [
			'text,question,group',
			...Array.from(
				{ length: 300 },
				(_, i) => `"Answer ${i}: my friend Jake at jake@example.com, more buses",q${(i % 5) + 1},child`
			)
		];
		const buf = new TextEncoder().encode(lines.join('\n'));
		const sheet = await parseUpload(buf, 'screened.csv');
		const p = planImport(c, sheet, guessMapping(sheet.headers), fileHash(buf));
		calls.inside = calls.outside = 0;
		const result = await commitImport(watched(db.db), c, p, {
			skipBad: false,
			actorId: officer,
			filename: 'screened.csv',
			hash: fileHash(buf),
			chunkMs: 2
		});
		expect(result.created).toBe(300);
		expect(calls).toMatchObject({ inside: 0, outside: 300 });
		// What was stored is what the pipeline makes of each answer (redacted copy included).
		const stored = await db.db
			.selectFrom('answer')
			.select(['text', 'redacted_text', 'pii_kinds'])
			.where('text', 'like', 'Answer 7:%')
			.executeTakeFirstOrThrow();
		expect(stored.redacted_text).toContain('[email]');
		expect(stored.redacted_text).not.toContain('jake@example.com');
	});

	/** A plan of `n` rows whose file differs by `tag` (so its stable ids are new). */
	async function rowsPlan(n: number, tag: string) {
		const lines = ['text,question,group', ...Array.from({ length: n }, (_, i) => `"${tag} ${i}: more buses",q1,child`)];
		const buf = new TextEncoder().encode(lines.join('\n'));
		const sheet = await parseUpload(buf, `${tag}.csv`);
		return { plan: planImport(c, sheet, guessMapping(sheet.headers), fileHash(buf)), hash: fileHash(buf) };
	}

	it('counts a survey submission in flight from its start to its answer', async () => {
		expect(submissionsInFlight()).toBe(0);
		const body = {
			id: randomUUID(),
			district: null,
			perspectives: [{ group: 'child', answers: { q1: 'A park' } }]
		};
		const pending = submitResponse(db.db, SLUG, body);
		expect(submissionsInFlight()).toBe(1);
		expect((await pending).kind).toBe('created');
		expect(submissionsInFlight()).toBe(0);
	});

	it('does no import work while a survey submission is in flight, and carries on when it has its answer', async () => {
		const { plan, hash } = await rowsPlan(60, 'giveway');
		const events: { kind: string; at: number }[] = [];
		const onWork: CommitWork = (kind, startedAt) => events.push({ kind, at: startedAt });
		const done = submissionStarted();
		const commit = commitImport(db.db, c, plan, {
			skipBad: false,
			actorId: officer,
			filename: 'giveway.csv',
			hash,
			chunkMs: 1,
			busyShare: 1,
			giveWayMs: 60_000,
			onWork
		});
		// Many turns of the event loop and a timer: the import has not started a slice or a write.
		for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
		await new Promise((r) => setTimeout(r, 20));
		expect(events).toEqual([]);
		const endedAt = performance.now();
		done();
		expect((await commit).created).toBe(60);
		const work = events.filter((e) => e.kind !== 'give-way');
		expect(work.length).toBeGreaterThan(0);
		expect(Math.min(...work.map((e) => e.at))).toBeGreaterThanOrEqual(endedAt);
		expect(events[0].kind).toBe('give-way');
	});

	it('still moves under submissions that never stop, a slice per IMPORT_GIVE_WAY_MS at least', async () => {
		const { plan, hash } = await rowsPlan(40, 'flood');
		const waits: number[] = [];
		const done = submissionStarted();
		try {
			const result = await commitImport(db.db, c, plan, {
				skipBad: false,
				actorId: officer,
				filename: 'flood.csv',
				hash,
				chunkMs: 1,
				giveWayMs: 5,
				onWork: (kind, _at, ms) => kind === 'give-way' && waits.push(ms)
			});
			expect(result.created).toBe(40);
			expect(waits.length).toBeGreaterThan(1);
		} finally {
			done();
		}
	});
});
