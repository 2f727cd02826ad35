import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { withEnv } from './helpers/env';
import { SLUG } from './helpers/consultation';
import { getConsultation } from '../src/lib/server/consultations/queries';
import { uuidV7 } from '../src/lib/server/survey/ids';
import { parseSubmission, storedReference, submitResponse } from '../src/lib/server/survey/submit';
import type { SubmissionInput } from '../src/lib/schemas/submission';
import { commitBatch } from '../src/lib/server/survey/batch-store';
import { referenceFor } from '../src/lib/server/submissions/reference';
import {
	clientIdColumn,
	forgetClientIdColumn,
	isTimeOrdered,
	rowIdFor
} from '../src/lib/server/submissions/client-ids';
import { migrations } from '../src/lib/server/db/migrations';
import { readCounts, tally } from '../scripts/lib/crash/report';

const MIGRATION = '2026-12-13-0100-submission-client-id';

/** The version digit of a UUID. */
const version = (id: string) => id[14];
/** The time in ms a version-7 UUID carries (its first 48 bits). */
const timeOf = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);

const body = (id: string, text = 'Somewhere safe to meet friends, call 07700 900123') => ({
	id,
	district: 'wychavon',
	perspectives: [{ group: 'young_person', answers: { q1: text, q2: 'Buses' } }],
	about: { ageBand: '18-24' }
});

describe('server ids (issue #18, thirty-second round)', () => {
	it('keeps a version-7 id, gives any other a new version-7 id', () => {
		const v7 = uuidV7();
		expect(isTimeOrdered(v7)).toBe(true);
		expect(rowIdFor(v7)).toBe(v7);
		const v4 = randomUUID();
		expect(isTimeOrdered(v4)).toBe(false);
		const before = Date.now();
		const row = rowIdFor(v4);
		expect(version(row)).toBe('7');
		expect(timeOf(row)).toBeGreaterThanOrEqual(before);
		expect(row).not.toBe(v4);
	});
});

describeEachEngine('a random client id is stored under a time-ordered row id', (engine) => {
	let fresh: FreshDb;
	beforeAll(async () => {
		fresh = await preparedDatabase(engine);
	});
	afterAll(() => fresh?.drop());

	const rowOf = (clientId: string) =>
		fresh.db
			.selectFrom('submission')
			.select(['id', 'client_id', 'reference'])
			.where('reference', '=', referenceFor(clientId))
			.execute();

	it('a random id: a version-7 row id, the client id kept, its answers under the row, screened and redacted', async () => {
		const c = (await getConsultation(fresh.db, SLUG))!;
		const v4 = randomUUID();
		const first = await submitResponse(fresh.db, SLUG, body(v4));
		expect(first).toMatchObject({ kind: 'created', id: v4, reference: referenceFor(v4) });
		const rows = await rowOf(v4);
		expect(rows).toHaveLength(1);
		expect(version(rows[0].id)).toBe('7');
		expect(rows[0].client_id).toBe(v4);
		const answers = await fresh.db
			.selectFrom('answer')
			.innerJoin('perspective', 'perspective.id', 'answer.perspective_id')
			.select(['answer.text', 'answer.redacted_text', 'answer.risk_score', 'perspective.submission_id as ps'])
			.where('answer.submission_id', '=', rows[0].id)
			.orderBy('answer.question_id')
			.execute();
		expect(answers.map((a) => a.text)).toHaveLength(2);
		expect(answers.every((a) => a.ps === rows[0].id && a.redacted_text !== null && a.risk_score !== null)).toBe(true);
		expect(answers[0].redacted_text).not.toContain('07700 900123');
		// A resend: the same reference, nothing doubled; the check page finds it by the client's id.
		const again = await submitResponse(fresh.db, SLUG, body(v4, 'A different text this time'));
		expect(again).toMatchObject({ kind: 'replayed', id: v4, reference: referenceFor(v4) });
		expect(await rowOf(v4)).toHaveLength(1);
		const n = await fresh.db
			.selectFrom('answer')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('submission_id', '=', rows[0].id)
			.executeTakeFirstOrThrow();
		expect(Number(n.n)).toBe(2);
		expect(await storedReference(fresh.db, c.id, v4.toUpperCase())).toBe(referenceFor(v4));
		expect(await storedReference(fresh.db, c.id, randomUUID())).toBeNull();
	});

	it('a version-7 id is the row id itself (no client id kept)', async () => {
		const v7 = uuidV7();
		expect(await submitResponse(fresh.db, SLUG, body(v7))).toMatchObject({ kind: 'created', id: v7 });
		expect(await rowOf(v7)).toEqual([{ id: v7, client_id: null, reference: referenceFor(v7) }]);
	});

	it('SUBMISSION_SERVER_IDS=off keys the row by the client id; a resend with it on is still a replay', async () => {
		const v4 = randomUUID();
		await withEnv('SUBMISSION_SERVER_IDS', 'off', async () => {
			expect(await submitResponse(fresh.db, SLUG, body(v4))).toMatchObject({ kind: 'created', id: v4 });
		});
		expect(await rowOf(v4)).toEqual([{ id: v4, client_id: null, reference: referenceFor(v4) }]);
		expect(await submitResponse(fresh.db, SLUG, body(v4))).toMatchObject({
			kind: 'replayed',
			reference: referenceFor(v4)
		});
		// And the other way: stored under a server id, resent with the switch off.
		const other = randomUUID();
		await submitResponse(fresh.db, SLUG, body(other));
		await withEnv('SUBMISSION_SERVER_IDS', 'off', async () => {
			expect(await submitResponse(fresh.db, SLUG, body(other))).toMatchObject({
				kind: 'replayed',
				reference: referenceFor(other)
			});
		});
		expect(await rowOf(v4)).toHaveLength(1);
		expect(await rowOf(other)).toHaveLength(1);
	});

	it('a grouped commit: row ids in time order, a repeat within the batch a replay, the crash tally by client id', async () => {
		const c = (await getConsultation(fresh.db, SLUG))!;
		const view = { id: c.id, questions: c.questions };
		const ids = Array.from({ length: 12 }, () => randomUUID());
		const batch = [...ids, ids[3]].map((id) => ({
			c: view,
			input: parseSubmission(body(id)) as SubmissionInput,
			now: undefined
		}));
		const out = await commitBatch(fresh.db, batch);
		expect(out.map((o) => o.status)).toEqual([...ids.map(() => 'created'), 'replayed']);
		const rows = await fresh.db
			.selectFrom('submission')
			.select(['id', 'client_id'])
			.where('client_id', 'in', ids)
			.execute();
		expect(rows).toHaveLength(12);
		expect(rows.every((r) => version(r.id) === '7')).toBe(true);
		// The crash test's tally reads the rows by the client's id.
		const counts = await readCounts(fresh.url);
		for (const id of ids)
			expect([counts.submissions.get(id), counts.perspectives.get(id), counts.answers.get(id)]).toEqual([1, 1, 2]);
		const only = (m: Map<string, number>) =>
			new Map([...m].filter(([id]) => (ids as string[]).includes(id)).map(([id]) => [id, 1]));
		const t = tally(
			{ acked: new Set(ids), sentSet: new Set(ids) },
			{ submissions: only(counts.submissions), perspectives: only(counts.perspectives), answers: only(counts.answers) }
		);
		expect(t).toMatchObject({ found: 12, lost: 0, duplicated: 0, partial: 0 });
	});

	it("the migration's down drops the column, and the writer then keys rows by the client's id as before", async () => {
		const other = await preparedDatabase(engine);
		try {
			expect(await clientIdColumn(other.db)).toBe(true);
			await migrations[MIGRATION].down!(other.db);
			forgetClientIdColumn(other.db);
			expect(await clientIdColumn(other.db)).toBe(false);
			const v4 = randomUUID();
			expect(await submitResponse(other.db, SLUG, body(v4))).toMatchObject({ kind: 'created', id: v4 });
			expect(await submitResponse(other.db, SLUG, body(v4))).toMatchObject({ kind: 'replayed', id: v4 });
			const stored = await other.db.selectFrom('submission').select('id').where('id', '=', v4).execute();
			expect(stored).toHaveLength(1);
			await migrations[MIGRATION].up(other.db);
			forgetClientIdColumn(other.db);
			expect(await clientIdColumn(other.db)).toBe(true);
		} finally {
			await other.drop();
		}
	});
});
