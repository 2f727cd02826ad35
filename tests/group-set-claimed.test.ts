/**
 * A submission with perspectives of different respondent types is claimed by the grouped commit with its final
 * group set (submissions/save.ts, storeSubmissions; issue 18). SQLite runs the perspectives' insert trigger row by
 * row, so before migration 2026-12-10-0300 the first perspective moved the submission to a partial set ('|child|')
 * and the second moved it back: its counts went through the partial set twice and left rows at zero there, which
 * a rebuild does not have. A claim that is wrong is put right in the same commit (settleGroupSets on SQLite;
 * PostgreSQL's statement-end trigger). Both engines, against a rebuild.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { SLUG } from './helpers/consultation';
import { getConsultation, type ConsultationView } from '../src/lib/server/consultations/queries';
import { equalityColumns, settleGroupSets, storeSubmissions, type SaveItem } from '../src/lib/server/submissions/save';
import { rebuildAggregates } from '../src/lib/server/analysis/aggregates';
import type { SubmissionInput } from '../src/lib/schemas/submission';
import type { Db } from '../src/lib/server/db/connect';
import { comparableRows, type Row } from './helpers/aggregates';

/** Every table whose key holds the submission's group set. */
const GS_TABLES = [
	'analysis_agg_group_set',
	'analysis_agg_group_set_equality',
	'analysis_agg_group_set_channel_equality',
	'analysis_agg_group_set_equality_margin',
	'analysis_agg_question_set',
	'analysis_agg_question_set_equality'
] as const;

/** All of those tables, rows at zero included (a rebuild has none), and the sets themselves. */
async function tables(db: Db, zeros = true) {
	const out: Record<string, Row[]> = {};
	for (const t of GS_TABLES)
		out[t] = comparableRows(await db.selectFrom(t).selectAll().execute()).filter((r) => zeros || r.n !== 0);
	out.sets = comparableRows(await db.selectFrom('submission').select(['id', 'group_set']).execute());
	return out;
}

describeEachEngine('group sets claimed by the grouped commit', (engine) => {
	let fresh: FreshDb;
	let c: ConsultationView;

	beforeAll(async () => {
		fresh = await preparedDatabase(engine);
		c = (await getConsultation(fresh.db, SLUG))!;
		// Start from exactly what a rebuild keeps, so any row at zero afterwards was left by this test's writes.
		await rebuildAggregates(fresh.db);
	}, 120_000);
	afterAll(() => fresh?.drop());

	it('counts a submission of several types once, under its final set, as a rebuild counts it', async () => {
		const batch = [
			{
				id: randomUUID(),
				district: 'wychavon',
				perspectives: [
					{ group: 'young_person', answers: { q1: 'Somewhere safe' } },
					{ group: 'child', answers: { q2: 'A park' } },
					{ group: 'young_person', answers: { q3: 'More buses' } }
				],
				about: { ageBand: '18-24' }
			},
			{ id: randomUUID(), district: 'redditch', perspectives: [{ group: 'child', answers: { q2: 'A park' } }] }
		] as unknown as SubmissionInput[];
		await fresh.db.transaction().execute((tx) =>
			storeSubmissions(
				tx,
				batch.map((input): SaveItem => ({ consultation: c, input, meta: { channel: 'online' } }))
			)
		);
		const row = await fresh.db
			.selectFrom('submission')
			.select('group_set')
			.where('id', '=', batch[0].id)
			.executeTakeFirstOrThrow();
		expect(row.group_set).toBe('|child|young_person|');
		const kept = await tables(fresh.db);
		await rebuildAggregates(fresh.db);
		// Zero rows included: a submission moved through '|child|' or '|young_person|' leaves them behind.
		expect(kept).toEqual(await tables(fresh.db));
	});

	it('puts a wrong claim of several types right in the same commit', async () => {
		const id = randomUUID();
		const now = new Date().toISOString();
		await fresh.db.transaction().execute(async (tx) => {
			await tx
				.insertInto('submission')
				.values({
					id,
					consultation_id: c.id,
					reference: id.slice(0, 8),
					channel: 'online',
					...equalityColumns({ perspectives: [] } as never, 'online'),
					// Claims two types; only a child's perspective is stored.
					group_set: '|child|young_person|',
					created_at: now,
					updated_at: now
				})
				.execute();
			await tx.insertInto('perspective').values({ submission_id: id, group_code: 'child', position: 0 }).execute();
			await settleGroupSets(tx, [id]);
		});
		const s = await fresh.db
			.selectFrom('submission')
			.select('group_set')
			.where('id', '=', id)
			.executeTakeFirstOrThrow();
		expect(s.group_set).toBe('|child|');
		// Putting it right moves the counts once, out of the claimed set (a row at zero there): compare the counts.
		const kept = await tables(fresh.db, false);
		await rebuildAggregates(fresh.db);
		expect(kept).toEqual(await tables(fresh.db, false));
	});
});
