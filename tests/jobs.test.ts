import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { createUser } from '../src/lib/server/users/index';
import { createSession, hashToken } from '../src/lib/server/auth/session';
import { startSessionPurge } from '../src/lib/server/jobs/index';

describeEachEngine('background jobs: the expired-session purge', (engine) => {
	let db: FreshDb;
	beforeAll(async () => {
		db = await preparedDatabase(engine);
	});
	afterAll(async () => db?.drop());

	it('deletes expired sessions as soon as the jobs start, keeps live ones, and stops cleanly', async () => {
		const userId = (
			await createUser(db.db, { email: 'jobs@example.gov.uk', role: 'entry', password: 'entry-password-1' }, null)
		).id;
		const longAgo = new Date(Date.now() - 30 * 24 * 3600_000);
		const expired = await createSession(db.db, userId, null, longAgo);
		const live = await createSession(db.db, userId);
		const ids = async () => (await db.db.selectFrom('login_session').select('id').execute()).map((r) => r.id).sort();
		expect(await ids()).toEqual([hashToken(expired.token), hashToken(live.token)].sort());

		const stop = startSessionPurge(db.db, 60 * 60_000);
		await stop(); // waits for the first purge, which runs at once
		expect(await ids()).toEqual([hashToken(live.token)]);
	});
});
