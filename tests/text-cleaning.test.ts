import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { syncEntries, updateEntry } from '../src/lib/server/entry/entries';
import { submitResponse } from '../src/lib/server/survey/submit';
import { addUser } from './helpers/users';
import { openEntrySession } from './helpers/entry';

/** A NUL in what someone typed is stored without it on both engines (PostgreSQL refuses NUL outright). */
describeEachEngine('control characters in typed text', (engine) => {
	let db: FreshDb;
	let staff: { id: number; role: 'entry' };
	let session: number;
	beforeAll(async () => {
		db = await preparedDatabase(engine);
		const admin = await addUser(db.db, { email: 'a@x.gov.uk', role: 'admin', password: 'password-long-1' }, null);
		staff = {
			id: (await addUser(db.db, { email: 'e@x.gov.uk', role: 'entry', password: 'password-long-1' }, admin.id)).id,
			role: 'entry'
		};
		session = (await openEntrySession(db.db, { adminId: admin.id, by: staff })).sessionId;
	});
	afterAll(async () => db?.drop());

	const texts = async () =>
		(await db.db.selectFrom('answer').select(['text', 'redacted_text']).execute()).flatMap((r) => [
			r.text,
			r.redacted_text
		]);

	it('entry sync stores a leaf with a NUL in it at the first try, without the NUL', async () => {
		const id = randomUUID();
		const leaf = {
			id,
			sessionId: session,
			questionKey: 'q1',
			group: 'young_person',
			district: null,
			text: 'More\u0000 swings\u0007 please'
		};
		const result = await syncEntries(db.db, [leaf], staff);
		expect(result).toEqual({ accepted: [id], duplicates: [], rejected: [] });
		expect(await texts()).toContain('More swings please');
		// A leaf of nothing but control characters has no words.
		const empty = await syncEntries(db.db, [{ ...leaf, id: randomUUID(), text: '\u0000\u0000' }], staff);
		expect(empty.rejected[0].errors.text).toMatch(/no words/);
	});

	it('an edited leaf and a survey submission are cleaned the same way', async () => {
		const id = randomUUID();
		await syncEntries(
			db.db,
			[{ id, sessionId: session, questionKey: 'q1', group: 'young_person', district: null, text: 'first' }],
			staff
		);
		await updateEntry(
			db.db,
			id,
			{ text: 'a skate\u0000 park', questionKey: 'q1', group: 'young_person', district: null },
			staff
		);
		expect(await texts()).toContain('a skate park');
		const c = await db.db.selectFrom('consultation').select('slug').executeTakeFirstOrThrow();
		const sent = await submitResponse(
			db.db,
			c.slug,
			{ id: randomUUID(), perspectives: [{ group: 'child', answers: { q1: 'my\u0000 friends' } }] },
			{ now: new Date('2017-06-01') }
		);
		expect(sent.kind).toBe('created');
		expect(await texts()).toContain('my friends');
		// eslint-disable-next-line no-control-regex -- looking for control characters is the point
		for (const t of await texts()) expect(t).not.toMatch(/[\u0000-\u0008]/);
	});
});
