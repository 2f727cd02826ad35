/** The domain functions that replaced queries written inside route files (admin home, privacy, report, answers). */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { createUser } from '../src/lib/server/users/index';
import { addLocation } from '../src/lib/server/entry/locations';
import { startSession } from '../src/lib/server/entry/sessions';
import { syncEntries } from '../src/lib/server/entry/entries';
import { consultationSummaries } from '../src/lib/server/consultations/overview';
import { getConsultation, getConsultationById } from '../src/lib/server/consultations/queries';
import { collectionMethod } from '../src/lib/server/analysis/method';
import { scopeOf } from '../src/lib/server/analysis/scope';
import { parseFilters } from '../src/lib/analysis/filters';
import { viewOriginalAnswer } from '../src/lib/server/review/original';
import { retentionOverview } from '../src/lib/server/retention/overview';
import { weeksSpanned } from '../src/lib/analysis/weeks';

describe('weeksSpanned', () => {
	it('counts the weeks the days cover, both ends included, in any order', () => {
		expect(weeksSpanned([])).toBe(0);
		expect(weeksSpanned(['2017-06-12'])).toBe(1);
		expect(weeksSpanned(['2017-06-18', '2017-06-12'])).toBe(1);
		expect(weeksSpanned(['2017-06-12', '2017-06-19'])).toBe(2);
		expect(weeksSpanned(['2017-06-26', '2017-06-12', '2017-06-13'])).toBe(3);
	});
});

describeEachEngine('queries moved out of the routes', (engine) => {
	let db: FreshDb;
	let adminId: number;
	let entry: { id: number; role: 'entry' };
	beforeAll(async () => {
		db = await preparedDatabase(engine);
		adminId = (
			await createUser(db.db, { email: 'admin@routes.test', role: 'admin', password: 'admin-password-1' }, null)
		).id;
		entry = {
			id: (await createUser(db.db, { email: 'entry@routes.test', role: 'entry', password: 'entry-password-1' }, null))
				.id,
			role: 'entry'
		};
	});
	afterAll(async () => db?.drop());

	it('counts submissions, answers and reviewed answers per consultation in SQL, and finds a consultation by id', async () => {
		const before = await consultationSummaries(db.db);
		expect(before.length).toBeGreaterThan(0);
		const c = (await getConsultation(db.db, before[0].slug))!;
		expect((await getConsultationById(db.db, c.id))?.slug).toBe(c.slug);
		expect(await getConsultationById(db.db, 999_999)).toBeNull();
		expect(await getConsultationById(db.db, Number.NaN)).toBeNull();

		const loc = await addLocation(
			db.db,
			{ name: 'Redditch Library', district: c.districts[0].code, kind: 'library' },
			new Set([c.districts[0].code]),
			adminId
		);
		const other = await addLocation(
			db.db,
			{ name: 'Youth club', district: c.districts[0].code, kind: 'other' },
			new Set([c.districts[0].code]),
			adminId
		);
		for (const [locationId, date] of [
			[loc.id, '2017-06-12'],
			[loc.id, '2017-06-20'],
			[other.id, '2017-06-13']
		] as const) {
			const sessionId = await startSession(
				db.db,
				{ consultationId: c.id, locationId, date, channel: 'library', question: 'q1', group: '' },
				entry
			);
			await syncEntries(
				db.db,
				[{ id: randomUUID(), sessionId, questionKey: 'q1', group: null, district: null, text: `Answer on ${date}` }],
				entry
			);
		}
		const answer = await db.db.selectFrom('answer').select('id').orderBy('id').executeTakeFirstOrThrow();
		await db.db
			.updateTable('answer')
			.set({ reviewed_at: new Date().toISOString() })
			.where('id', '=', answer.id)
			.execute();

		const after = (await consultationSummaries(db.db)).find((s) => s.slug === c.slug)!;
		const was = before.find((s) => s.slug === c.slug)!;
		expect(after).toMatchObject({
			submissions: was.submissions + 3,
			answers: was.answers + 3,
			reviewed: was.reviewed + 1
		});
		for (const s of (await consultationSummaries(db.db)).filter((s) => s.slug !== c.slug)) {
			expect(s).toEqual(before.find((b) => b.slug === s.slug));
		}

		const method = await collectionMethod(db.db, c, scopeOf(c, parseFilters(new URLSearchParams())));
		expect(method.sessions).toBe(3);
		expect(method).toMatchObject({ libraries: 1, otherVenues: 1 });
	});

	it('shows an original answer once per view, audited, and nothing for an unknown id', async () => {
		const answer = await db.db.selectFrom('answer').select('id').orderBy('id').executeTakeFirstOrThrow();
		const audits = async () =>
			(await db.db.selectFrom('audit_log').select('id').where('action', '=', 'answer.view_original').execute()).length;
		const n = await audits();
		const shown = await viewOriginalAnswer(db.db, answer.id, adminId);
		expect(shown?.original).toMatch(/^Answer on /);
		expect(await audits()).toBe(n + 1);
		expect(await viewOriginalAnswer(db.db, 999_999, adminId)).toBeNull();
		expect(await viewOriginalAnswer(db.db, Number.NaN, adminId)).toBeNull();
		expect(await audits()).toBe(n + 1);
	});

	it('lists each consultation with what retention would clear, changing nothing', async () => {
		const rows = await retentionOverview(db.db);
		expect(rows.map((r) => r.slug).sort()).toEqual((await consultationSummaries(db.db)).map((s) => s.slug).sort());
		for (const r of rows) expect(r.dueAnswers).toBeGreaterThanOrEqual(0);
	});
});
