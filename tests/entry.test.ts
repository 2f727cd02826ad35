import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { addLocation } from '../src/lib/server/entry/locations';
import { startSession, listSessions } from '../src/lib/server/entry/sessions';
import { syncEntries, updateEntry, deleteEntry, recentEntries, EntryError } from '../src/lib/server/entry/entries';
import { sessionsOverview } from '../src/lib/server/entry/overview';
import { addUser } from './helpers/users';

describeEachEngine('face-to-face entry', (engine) => {
	let db: FreshDb;
	let admin: { id: number; role: 'admin' };
	let alice: { id: number; role: 'entry' };
	let bob: { id: number; role: 'entry' };
	let officer: { id: number; role: 'officer' };
	let tree: number; // alice's q1 session
	let allQ: number; // bob's all-questions session
	const leaf = (sessionId: number, text: string, extra: Partial<Record<string, unknown>> = {}) => ({
		id: randomUUID(),
		sessionId,
		questionKey: 'q1',
		group: 'young_person',
		district: null,
		text,
		...extra
	});

	beforeAll(async () => {
		db = await preparedDatabase(engine);
		const mk = async (email: string, role: 'admin' | 'officer' | 'entry') =>
			(await addUser(db.db, { email, role, password: 'password-long-1' }, null)).id;
		admin = { id: await mk('a@x.gov.uk', 'admin'), role: 'admin' };
		alice = { id: await mk('alice@x.gov.uk', 'entry'), role: 'entry' };
		bob = { id: await mk('bob@x.gov.uk', 'entry'), role: 'entry' };
		officer = { id: await mk('o@x.gov.uk', 'officer'), role: 'officer' };
		const loc = await addLocation(
			db.db,
			{ name: 'Redditch Library', district: 'redditch', kind: 'library' },
			new Set(['redditch']),
			admin.id
		);
		const c = await db.db.selectFrom('consultation').select('id').executeTakeFirstOrThrow();
		const base = { consultationId: c.id, locationId: loc.id, date: '2017-06-05', channel: 'library' as const };
		tree = await startSession(db.db, { ...base, question: 'q1', group: 'young_person' }, alice);
		allQ = await startSession(db.db, { ...base, question: 'all', group: '' }, bob);
	});
	afterAll(async () => db?.drop());

	it('stores good leaves once, answers a resend as duplicates, and rejects bad ones without blocking the rest', async () => {
		const good = [
			leaf(tree, 'More places to go'),
			leaf(tree, 'Buses that run late', { group: null, district: 'redditch' })
		];
		const bad = [
			leaf(tree, '   '),
			leaf(tree, 'x'.repeat(2001)),
			leaf(tree, 'wrong question', { questionKey: 'q2' }),
			leaf(tree, 'no such question', { questionKey: 'q9' }),
			leaf(tree, 'odd group', { group: 'martian' }),
			leaf(tree, 'odd district', { district: 'atlantis' }),
			leaf(9999, 'no such session'),
			leaf(allQ, "bob's session"),
			{ id: 'not-a-uuid', sessionId: tree, questionKey: 'q1', group: null, district: null, text: 'x' }
		];
		const r = await syncEntries(db.db, [...good, ...bad], alice);
		expect(r.accepted).toEqual(good.map((g) => g.id));
		expect(r.duplicates).toEqual([]);
		const errs = Object.fromEntries(r.rejected.map((x) => [x.id, x.errors]));
		expect(errs[bad[0].id]).toEqual({ text: expect.stringMatching(/no words/) });
		expect(errs[bad[1].id].text).toMatch(/2,000 characters or fewer/);
		expect(errs[bad[2].id].questionKey).toMatch(/asks q1 only/);
		expect(errs[bad[3].id].questionKey).toMatch(/unknown question "q9"/);
		expect(errs[bad[4].id].group).toMatch(/unknown respondent group "martian"/);
		expect(errs[bad[5].id].district).toMatch(/unknown district "atlantis"/);
		expect(errs[bad[6].id].sessionId).toMatch(/unknown session 9999/);
		expect(errs[bad[7].id].sessionId).toMatch(/another member of staff/);
		expect(errs['not-a-uuid'].id).toMatch(/UUID/);

		const again = await syncEntries(db.db, good, alice);
		expect(again).toEqual({ accepted: [], duplicates: good.map((g) => g.id), rejected: [] });
		const stored = await db.db.selectFrom('submission').selectAll().where('collection_session_id', '=', tree).execute();
		expect(stored).toHaveLength(2);
		for (const s of stored) {
			expect(s.channel).toBe('library');
			expect(s.entered_by).toBe(alice.id);
			expect(s.location_id).not.toBeNull();
			expect([s.eq_age_band, s.eq_gender, s.eq_disability, s.eq_ethnicity, s.eq_sexual_orientation]).toEqual(
				Array(5).fill('not_asked')
			);
		}
		const groups = await db.db
			.selectFrom('perspective')
			.select('group_code')
			.where(
				'submission_id',
				'in',
				good.map((g) => g.id)
			)
			.orderBy('group_code')
			.execute();
		expect(groups.map((g) => g.group_code).sort()).toEqual([null, 'young_person'].sort());
	});

	it('sends the same leaf twice in one batch and stores it once', async () => {
		const one = leaf(tree, 'Twice in a batch');
		const r = await syncEntries(db.db, [one, one], alice);
		expect(r.accepted).toEqual([one.id]);
		expect(r.duplicates).toEqual([one.id]);
	});

	it("lets an all-questions session take any question, and officers work in anyone's session", async () => {
		const r = await syncEntries(
			db.db,
			[leaf(allQ, 'q3 leaf', { questionKey: 'q3' }), leaf(allQ, 'q5 leaf', { questionKey: 'q5' })],
			officer
		);
		expect(r.accepted).toHaveLength(2);
		expect((await listSessions(db.db, alice)).map((s) => s.id)).toEqual([tree]);
		expect((await listSessions(db.db, officer)).map((s) => s.id).sort()).toEqual([tree, allQ].sort());
	});

	it('edits and deletes only in your own sessions, auditing before and after', async () => {
		const [newest] = await recentEntries(db.db, allQ, 1);
		await expect(
			updateEntry(db.db, newest.id, { text: 'changed', questionKey: 'q5', group: null, district: null }, alice)
		).rejects.toMatchObject({ status: 403 });
		await expect(deleteEntry(db.db, newest.id, alice)).rejects.toBeInstanceOf(EntryError);
		await updateEntry(
			db.db,
			newest.id,
			{ text: 'More youth clubs', questionKey: 'q4', group: 'child', district: 'redditch' },
			bob
		);
		const [after] = await recentEntries(db.db, allQ, 1);
		expect(after).toMatchObject({
			id: newest.id,
			text: 'More youth clubs',
			questionKey: 'q4',
			group: 'child',
			district: 'redditch'
		});
		await expect(
			updateEntry(db.db, newest.id, { text: '', questionKey: 'q4', group: null, district: null }, bob)
		).rejects.toMatchObject({ status: 400 });
		await deleteEntry(db.db, newest.id, bob);
		expect(
			await db.db.selectFrom('submission').select('id').where('id', '=', newest.id).executeTakeFirst()
		).toBeUndefined();
		const audits = await db.db
			.selectFrom('audit_log')
			.selectAll()
			.where('entity_id', '=', newest.id)
			.orderBy('id')
			.execute();
		expect(audits.map((a) => a.action)).toEqual(['entry.update', 'entry.delete']);
		// Codes and the names of the changed fields; the words stay out of the log.
		expect(JSON.parse(audits[0].before!)).toMatchObject({ questionKey: 'q5' });
		expect(JSON.parse(audits[0].after!)).toMatchObject({ questionKey: 'q4', group: 'child' });
		expect(JSON.parse(audits[0].detail!).fields).toEqual(expect.arrayContaining(['text', 'questionKey', 'group']));
		expect(JSON.parse(audits[1].before!)).toMatchObject({ questionKey: 'q4' });
		expect(JSON.stringify(audits)).not.toMatch(/q5 leaf|youth clubs/);
	});

	it('keeps the words as typed when the (redacted) edit form is sent back with only the group changed', async () => {
		const typed = leaf(tree, 'My name is Jake Smith and I want a skate park');
		expect((await syncEntries(db.db, [typed], alice)).accepted).toEqual([typed.id]);
		const stored = await db.db
			.selectFrom('answer')
			.select(['text', 'redacted_text'])
			.where('submission_id', '=', typed.id)
			.executeTakeFirstOrThrow();
		expect(stored.redacted_text).not.toBe(stored.text);
		await updateEntry(
			db.db,
			typed.id,
			{ text: stored.redacted_text!, questionKey: 'q1', group: 'child', district: null },
			alice
		);
		const after = await db.db
			.selectFrom('answer')
			.select('text')
			.where('submission_id', '=', typed.id)
			.executeTakeFirstOrThrow();
		expect(after.text).toBe('My name is Jake Smith and I want a skate park');
		const group = await db.db
			.selectFrom('perspective')
			.select('group_code')
			.where('submission_id', '=', typed.id)
			.executeTakeFirstOrThrow();
		expect(group.group_code).toBe('child');
		await deleteEntry(db.db, typed.id, alice);
	});

	it('summarises sessions, responses and groups by channel and location', async () => {
		const c = await db.db.selectFrom('consultation').select('id').executeTakeFirstOrThrow();
		const o = await sessionsOverview(db.db, c.id);
		const lib = o.byChannel.find((r) => r.key === 'library')!;
		expect(lib.sessions).toBe(2);
		expect(lib.responses).toBe(4);
		// tree: two young people and one not known; bob's session: one young person left after the delete
		expect(lib.groups).toEqual({ young_person: 3, '': 1 });
		const yp = o.reach.find((r) => r.group === 'young_person')!;
		expect(yp).toEqual({ group: 'young_person', respondents: 3, occasions: 2, locations: 1 });
		expect(o.byLocation.find((l) => l.label === 'Redditch Library')).toMatchObject({
			sessions: 2,
			responses: 4,
			district: 'redditch'
		});
	});
});
