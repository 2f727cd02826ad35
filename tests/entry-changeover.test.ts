import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { listSessions } from '../src/lib/server/entry/sessions';
import { syncEntries, deleteEntry, recentEntries } from '../src/lib/server/entry/entries';
import { takeOverEntries, recordDiscard, ChangeoverError } from '../src/lib/server/entry/changeover';
import { restoreEntry, undoOffer, UndoError } from '../src/lib/server/entry/undo';
import { addUser } from './helpers/users';
import { openEntrySession } from './helpers/entry';

describeEachEngine('entry: staff changeover, discard and undo', (engine) => {
	let db: FreshDb;
	let alice: { id: number; role: 'entry' };
	let bob: { id: number; role: 'entry' };
	let officer: { id: number; role: 'officer' };
	let alicesTree: number;
	const leaf = (sessionId: number, text: string, authorId?: number | null) => ({
		id: randomUUID(),
		sessionId,
		questionKey: 'q1',
		group: 'young_person',
		district: null,
		text,
		...(authorId === undefined ? {} : { authorId })
	});
	const stored = (ids: string[]) =>
		db.db
			.selectFrom('submission as s')
			.innerJoin('answer as a', 'a.submission_id', 's.id')
			.select(['s.id', 's.entered_by', 's.taken_over_from', 's.collection_session_id', 'a.text'])
			.where('s.id', 'in', ids)
			.execute();
	const audits = (action: string) =>
		db.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();

	beforeAll(async () => {
		db = await preparedDatabase(engine);
		const mk = async (email: string, role: 'admin' | 'officer' | 'entry') =>
			(await addUser(db.db, { email, role, password: 'password-long-1' }, null)).id;
		const admin = await mk('a@x.gov.uk', 'admin');
		alice = { id: await mk('alice@x.gov.uk', 'entry'), role: 'entry' };
		bob = { id: await mk('bob@x.gov.uk', 'entry'), role: 'entry' };
		officer = { id: await mk('o@x.gov.uk', 'officer'), role: 'officer' };
		alicesTree = (
			await openEntrySession(db.db, {
				adminId: admin,
				by: alice,
				library: { name: 'Bromsgrove Library', district: 'bromsgrove' }
			})
		).sessionId;
	});
	afterAll(async () => db?.drop());

	it("never stores a leaf typed by someone else as the sender's, not even an officer's", async () => {
		const hers = [leaf(alicesTree, 'A park with lights', alice.id), leaf(alicesTree, 'Cheaper buses', alice.id)];
		const asOfficer = await syncEntries(db.db, hers, officer);
		expect(asOfficer.accepted).toEqual([]);
		expect(asOfficer.rejected.map((r) => r.errors.authorId)).toEqual([
			expect.stringMatching(/typed by another member of staff/),
			expect.any(String)
		]);
		expect(await stored(hers.map((h) => h.id))).toEqual([]);
		// Her own sign-in sends them, as hers.
		const asAlice = await syncEntries(db.db, hers, alice);
		expect(asAlice.accepted).toEqual(hers.map((h) => h.id));
		expect((await stored(hers.map((h) => h.id))).map((r) => [r.entered_by, r.taken_over_from])).toEqual([
			[alice.id, null],
			[alice.id, null]
		]);
	});

	it("takes leaves over explicitly into the taker's own matching session, recorded and audited, never doubled", async () => {
		const already = leaf(alicesTree, 'Sent by Alice before the changeover', alice.id);
		await syncEntries(db.db, [already], alice);
		const waiting = [
			leaf(alicesTree, 'Somewhere to go after school', alice.id),
			leaf(alicesTree, 'Safer parks', alice.id)
		];
		const r = await takeOverEntries(db.db, { fromUserId: alice.id, entries: [...waiting, already] }, bob);
		expect([...r.accepted].sort()).toEqual(waiting.map((w) => w.id).sort());
		expect(r.duplicates).toEqual([already.id]);
		expect(r.rejected).toEqual([]);
		const bobsSession = r.sessions[String(alicesTree)];
		expect(bobsSession).not.toBe(alicesTree);
		const bobs = await listSessions(db.db, bob);
		expect(bobs.map((s) => s.id)).toEqual([bobsSession]);
		expect(bobs[0]).toMatchObject({
			locationName: 'Bromsgrove Library',
			date: '2017-06-05',
			channel: 'library',
			questionKey: 'q1',
			defaultGroup: 'young_person',
			entries: 2
		});

		const rows = await stored([...waiting.map((w) => w.id), already.id]);
		const byId = new Map(rows.map((x) => [x.id, x]));
		for (const w of waiting)
			expect(byId.get(w.id)).toMatchObject({
				entered_by: bob.id,
				taken_over_from: alice.id,
				collection_session_id: bobsSession
			});
		// The one Alice had already sent keeps its author.
		expect(byId.get(already.id)).toMatchObject({
			entered_by: alice.id,
			taken_over_from: null,
			collection_session_id: alicesTree
		});
		const [a] = await audits('entry.take_over');
		expect(a.user_id).toBe(bob.id);
		expect(JSON.parse(a.detail!)).toEqual({ ids: r.accepted, count: 2, fromUserId: alice.id });
		expect(a.detail).not.toMatch(/parks/);

		// Taking over again (a second tab, a retry) stores nothing more and reuses Bob's session.
		const again = await takeOverEntries(db.db, { fromUserId: alice.id, entries: waiting }, bob);
		expect(again.accepted).toEqual([]);
		expect(again.duplicates.sort()).toEqual(waiting.map((w) => w.id).sort());
		expect(again.sessions[String(alicesTree)]).toBe(bobsSession);
		expect(await listSessions(db.db, bob)).toHaveLength(1);
	});

	it('refuses a take-over of your own leaves, or of leaves whose author does not match', async () => {
		await expect(
			takeOverEntries(db.db, { fromUserId: bob.id, entries: [leaf(alicesTree, 'x', bob.id)] }, bob)
		).rejects.toBeInstanceOf(ChangeoverError);
		const wrong = leaf(alicesTree, 'typed by the officer', officer.id);
		const r = await takeOverEntries(
			db.db,
			{ fromUserId: alice.id, entries: [wrong, leaf(9999, 'no such session', alice.id)] },
			bob
		);
		expect(r.accepted).toEqual([]);
		expect(r.rejected.map((x) => Object.keys(x.errors)[0]).sort()).toEqual(['authorId', 'sessionId']);
		expect(await stored([wrong.id])).toEqual([]);
	});

	it('takes over leaves whose author was never recorded (an older outbox), stored with no "from"', async () => {
		const old = leaf(alicesTree, 'From before authors were kept', null);
		const r = await takeOverEntries(db.db, { fromUserId: null, entries: [old] }, officer);
		expect(r.accepted).toEqual([old.id]);
		expect((await stored([old.id]))[0]).toMatchObject({ entered_by: officer.id, taken_over_from: null });
		// and a plain sync never sends them
		const plain = await syncEntries(db.db, [leaf(alicesTree, 'unknown author', null)], alice);
		expect(plain.rejected).toHaveLength(1);
	});

	it('records a confirmed discard with its count and ids, never the words', async () => {
		const ids = [randomUUID(), randomUUID(), randomUUID()];
		const r = await recordDiscard(
			db.db,
			{ reason: 'waiting', entries: ids.map((id) => ({ id, sessionId: alicesTree, authorId: alice.id })) },
			bob
		);
		expect(r).toEqual({ count: 3 });
		const [a] = await audits('entry.discard');
		expect(a.user_id).toBe(bob.id);
		expect(JSON.parse(a.detail!)).toEqual({
			reason: 'waiting',
			count: 3,
			ids,
			sessionIds: [alicesTree],
			authors: [alice.id]
		});
	});

	it('puts a deleted leaf back exactly with Undo, once, and only within its time', async () => {
		const one = leaf(alicesTree, 'Put me back', alice.id);
		await syncEntries(db.db, [{ ...one, district: 'bromsgrove', group: 'child' }], alice);
		const before = (await recentEntries(db.db, alicesTree, 50)).find((e) => e.id === one.id)!;
		await deleteEntry(db.db, one.id, alice);
		expect(await stored([one.id])).toEqual([]);
		expect(await undoOffer(db.db, alicesTree, one.id)).toMatchObject({ id: one.id, text: 'Put me back' });
		// Bob may not undo in Alice's session.
		await expect(restoreEntry(db.db, one.id, bob)).rejects.toMatchObject({ status: 403 });

		await restoreEntry(db.db, one.id, alice);
		const after = (await recentEntries(db.db, alicesTree, 50)).find((e) => e.id === one.id)!;
		expect(after).toEqual({ ...before, answerId: expect.any(Number) });
		expect(await undoOffer(db.db, alicesTree, one.id)).toBeNull();
		await expect(restoreEntry(db.db, one.id, alice)).rejects.toMatchObject({ status: 410 });
		expect(await stored([one.id])).toHaveLength(1);
		expect((await audits('entry.restore')).map((a) => a.entity_id)).toEqual([one.id]);

		// Past its time the copy is gone for good.
		await deleteEntry(db.db, one.id, alice);
		await db.db
			.updateTable('entry_undo')
			.set({ expires_at: new Date(Date.now() - 1000).toISOString() })
			.where('submission_id', '=', one.id)
			.execute();
		expect(await undoOffer(db.db, alicesTree, one.id)).toBeNull();
		await expect(restoreEntry(db.db, one.id, alice)).rejects.toBeInstanceOf(UndoError);
		const other = leaf(alicesTree, 'another', alice.id);
		await syncEntries(db.db, [other], alice);
		await deleteEntry(db.db, other.id, alice);
		// the next delete purged the expired copy
		expect(await db.db.selectFrom('entry_undo').select('submission_id').execute()).toEqual([
			{ submission_id: other.id }
		]);
	});
});
