import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { ids, loadSmallFixture, type Fixture } from './fixtures/analysis/small';
import { addUser } from './helpers/users';
import { cachedAnalysis, dataVersion } from '../src/lib/server/analysis/cache';
import { saveOnline } from '../src/lib/server/survey/writer';
import { syncEntries, updateEntry, deleteEntry } from '../src/lib/server/entry/entries';
import { parseUpload } from '../src/lib/server/import/parse';
import { commitImport, fileHash, guessMapping, planImport } from '../src/lib/server/import/plan';
import { setAnswerThemes } from '../src/lib/server/review';
import { recodeQuestion } from '../src/lib/server/coding/recode';
import { deleteByReference, applyRetention } from '../src/lib/server/retention/retention';
import { referenceFor } from '../src/lib/server/submissions/reference';
import { openEntrySession } from './helpers/entry';

describeEachEngine('data version behind the analysis cache', (engine) => {
	let fresh: FreshDb;
	let fx: Fixture;
	let admin: { id: number; role: 'admin' };
	let session: number;
	let computed = 0;
	const page = () => cachedAnalysis(fresh.db, fx.c.id, `dv-${engine}`, async () => ++computed);

	beforeAll(async () => {
		fresh = await preparedDatabase(engine);
		fx = await loadSmallFixture(fresh.db);
		admin = { id: (await addUser(fresh.db, { email: 'dv@x.gov.uk', role: 'admin' }, null)).id, role: 'admin' };
		session = (await openEntrySession(fresh.db, { adminId: admin.id, by: admin, consultationId: fx.c.id })).sessionId;
	});
	afterAll(() => fresh?.drop());

	/** Runs `write` and checks the version moved and the cached page was recomputed (once). */
	async function expectRecomputedAfter(write: () => Promise<unknown>) {
		const before = computed;
		await page();
		const v0 = await dataVersion(fresh.db);
		expect(await page()).toBe(computed); // unchanged data: served from cache
		expect(computed).toBeLessThanOrEqual(before + 1);
		const cachedValue = computed;
		await write();
		expect(await dataVersion(fresh.db)).not.toBe(v0);
		expect(await page()).toBe(cachedValue + 1);
		expect(await page()).toBe(cachedValue + 1);
	}

	it('is one stable number while nothing is written, and reads alone do not move it', async () => {
		const v = await dataVersion(fresh.db);
		await fresh.db.selectFrom('answer').selectAll().execute();
		expect(await dataVersion(fresh.db)).toBe(v);
		const n = computed;
		await page();
		await page();
		await page();
		expect(computed).toBe(n + 1);
	});

	it('moves on an online submission (the grouped survey writer)', async () => {
		await expectRecomputedAfter(() =>
			saveOnline(fresh.db, fx.c, {
				id: randomUUID(),
				district: 'redditch',
				perspectives: [{ group: 'child', answers: { q1: 'a park near my house' } }],
				about: null
			} as never)
		);
	});

	let leafId: string;
	it('moves on face-to-face entry, an edit of an entry and its deletion', async () => {
		leafId = randomUUID();
		const leaf = {
			id: leafId,
			sessionId: session,
			questionKey: 'q1',
			group: 'young_person',
			district: null,
			text: 'more buses'
		};
		await expectRecomputedAfter(async () =>
			expect((await syncEntries(fresh.db, [leaf], admin)).accepted).toHaveLength(1)
		);
		await expectRecomputedAfter(() =>
			updateEntry(
				fresh.db,
				leafId,
				{ text: 'more late buses', questionKey: 'q1', group: 'child', district: null },
				admin
			)
		);
		await expectRecomputedAfter(() => deleteEntry(fresh.db, leafId, admin));
	});

	it('moves on an import commit', async () => {
		const buf = new TextEncoder().encode('text,question,group\n"safer parks",q1,child\n"youth club",q1,child\n');
		const sheet = await parseUpload(buf, 'dv.csv');
		const plan = planImport(fx.c, sheet, guessMapping(sheet.headers), fileHash(buf));
		await expectRecomputedAfter(async () =>
			expect(
				(
					await commitImport(fresh.db, fx.c, plan, {
						skipBad: false,
						actorId: admin.id,
						filename: 'dv.csv',
						hash: fileHash(buf)
					})
				).created
			).toBe(2)
		);
	});

	it('moves on an officer coding an answer and on a recode of a question', async () => {
		await expectRecomputedAfter(() =>
			setAnswerThemes(fresh.db, fx.c.id, fx.answers.S3, [fx.themes.friends, fx.themes.pets], { id: fx.officerId })
		);
		const q1 = fx.c.questions.find((q) => q.key === 'q1')!;
		await expectRecomputedAfter(() => recodeQuestion(fresh.db, q1.id));
	});

	it('moves on a change to a theme and to consultation settings', async () => {
		await expectRecomputedAfter(() =>
			fresh.db.updateTable('theme').set({ label: 'Pets and animals' }).where('id', '=', fx.themes.pets).execute()
		);
		await expectRecomputedAfter(() =>
			fresh.db
				.updateTable('consultation')
				.set({ updated_at: new Date().toISOString() })
				.where('id', '=', fx.c.id)
				.execute()
		);
	});

	it('moves on deletion by reference and on retention', async () => {
		await expectRecomputedAfter(() => deleteByReference(fresh.db, referenceFor(ids.S2)));
		await fresh.db
			.updateTable('consultation')
			.set({ retention_until: '2000-01-01' })
			.where('id', '=', fx.c.id)
			.execute();
		await expectRecomputedAfter(() => applyRetention(fresh.db));
	});

	it('does not move when a write is rolled back', async () => {
		const v = await dataVersion(fresh.db);
		await expect(
			fresh.db.transaction().execute(async (tx) => {
				await tx.updateTable('theme').set({ label: 'rolled back' }).where('id', '=', fx.themes.family).execute();
				throw new Error('undo');
			})
		).rejects.toThrow('undo');
		expect(await dataVersion(fresh.db)).toBe(v);
	});
});

describeEachEngine('the analysis cache with two databases open in one process', (engine) => {
	let a: FreshDb;
	let b: FreshDb;
	beforeAll(async () => {
		[a, b] = await Promise.all([preparedDatabase(engine), preparedDatabase(engine)]);
	}, 120_000);
	afterAll(async () => {
		await Promise.all([a?.drop(), b?.drop()]);
	});

	it("never serves one database's page for the other's (same consultation id, same data version)", async () => {
		// Two copies of the same prepared database: the same consultation ids and the same data version, so only the
		// database tells their pages apart (a tool or test holding two databases, or two consultations' servers).
		expect(await dataVersion(b.db)).toBe(await dataVersion(a.db));
		expect(await cachedAnalysis(a.db, 1, 'two-databases', async () => 'from a')).toBe('from a');
		expect(await cachedAnalysis(b.db, 1, 'two-databases', async () => 'from b')).toBe('from b');
		expect(await cachedAnalysis(a.db, 1, 'two-databases', async () => 'again')).toBe('from a');
	});
});
