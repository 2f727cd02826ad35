import { afterAll, beforeAll, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { getConsultation } from '../src/lib/server/consultations/queries';
import { saveSubmission } from '../src/lib/server/submissions/save';
import {
	codeUncoded,
	recodeQuestion,
	codingJobState,
	codingStatusLine,
	stopBackgroundCoding
} from '../src/lib/server/coding/index';
import { submissionSchema } from '../src/lib/schemas/submission';
import { SLUG } from './helpers/consultation';

describeEachEngine('automatic coding in the app', (engine) => {
	let fresh: FreshDb;
	beforeAll(async () => {
		fresh = await preparedDatabase(engine);
	});
	afterAll(async () => {
		await stopBackgroundCoding(); // also stops the engine's worker thread
		await fresh?.drop();
	});

	async function themesOf(submissionId: string) {
		return fresh.db
			.selectFrom('answer_theme')
			.innerJoin('answer', 'answer.id', 'answer_theme.answer_id')
			.innerJoin('theme', 'theme.id', 'answer_theme.theme_id')
			.select([
				'answer.id as answerId',
				'theme.code',
				'answer_theme.source',
				'answer_theme.applies',
				'answer_theme.confidence'
			])
			.where('answer.submission_id', '=', submissionId)
			.execute();
	}

	it('installs the shipped codebooks as themes for the five questions', async () => {
		const counts = await fresh.db
			.selectFrom('theme')
			.innerJoin('question', 'question.id', 'theme.question_id')
			.select(['question.key', (eb) => eb.fn.countAll<number>().as('n')])
			.groupBy('question.key')
			.orderBy('question.key')
			.execute();
		expect(counts.map((c) => c.key)).toEqual(['q1', 'q2', 'q3', 'q4', 'q5']);
		expect(counts.every((c) => Number(c.n) >= 5)).toBe(true);
	});

	it('codes new answers from the codebook, and keeps an officer decision through recoding', async () => {
		const c = (await getConsultation(fresh.db, SLUG))!;
		const input = submissionSchema.parse({
			id: randomUUID(),
			perspectives: [
				{ group: 'child', answers: { q1: 'my dog and my famly', q2: 'there is nothing to do round here' } }
			]
		});
		await saveSubmission(fresh.db, c, input, { channel: 'online' });
		expect(await codeUncoded(fresh.db)).toBeGreaterThanOrEqual(2);
		const coded = await themesOf(input.id);
		const q1Codes = coded.filter((r) => r.source === 'auto').map((r) => r.code);
		expect(q1Codes.some((code) => /pet/.test(code))).toBe(true);
		expect(q1Codes.some((code) => /famil/.test(code))).toBe(true);

		// An officer removes "pets" from the first answer; recoding must not bring it back.
		const pets = coded.find((r) => /pet/.test(r.code))!;
		const petTheme = await fresh.db
			.selectFrom('theme')
			.select('id')
			.where('code', '=', pets.code)
			.executeTakeFirstOrThrow();
		await fresh.db
			.updateTable('answer_theme')
			.set({ source: 'human', applies: 0 })
			.where('answer_id', '=', pets.answerId)
			.where('theme_id', '=', petTheme.id)
			.execute();
		await fresh.db
			.updateTable('answer')
			.set({ reviewed_at: new Date().toISOString() })
			.where('id', '=', pets.answerId)
			.execute();
		const q1 = c.questions.find((q) => q.key === 'q1')!;
		await recodeQuestion(fresh.db, q1.id);
		const after = (await themesOf(input.id)).find((r) => r.code === pets.code)!;
		expect(after.source).toBe('human');
		expect(after.applies).toBe(0);
	});

	it('recodes a question after a theme an officer used is retired, learning from the themes still in use', async () => {
		// Found by the aggregates property (CI, stop 42): the training set kept the retired theme's codings and the
		// engine refused the codebook ("unknown theme id"), so a retired theme stopped its question being recoded.
		const c = (await getConsultation(fresh.db, SLUG))!;
		const q2 = c.questions.find((q) => q.key === 'q2')!;
		const themes = await fresh.db
			.selectFrom('theme')
			.select(['id', 'code'])
			.where('question_id', '=', q2.id)
			.where('status', '=', 'active')
			.orderBy('position')
			.execute();
		const [kept, retired] = themes;
		const at = new Date().toISOString();
		for (let i = 0; i < 6; i++) {
			const input = submissionSchema.parse({
				id: randomUUID(),
				perspectives: [{ group: 'young_person', answers: { q2: `nowhere to go after school number ${i}` } }]
			});
			await saveSubmission(fresh.db, c, input, { channel: 'online' });
			const a = await fresh.db
				.selectFrom('answer')
				.select('id')
				.where('submission_id', '=', input.id)
				.executeTakeFirstOrThrow();
			await fresh.db
				.insertInto('answer_theme')
				.values(
					[kept, retired].map((t) => ({ answer_id: a.id, theme_id: t.id, source: 'human', applies: 1, updated_at: at }))
				)
				.onConflict((oc) => oc.columns(['answer_id', 'theme_id']).doUpdateSet({ source: 'human', applies: 1 }))
				.execute();
			await fresh.db.updateTable('answer').set({ reviewed_at: at }).where('id', '=', a.id).execute();
		}
		await fresh.db.updateTable('theme').set({ status: 'retired' }).where('id', '=', retired.id).execute();
		try {
			expect(await recodeQuestion(fresh.db, q2.id)).toBeGreaterThanOrEqual(6);
			// The officers' codings are kept as they were, the retired one included (restoring it brings it back).
			const human = await fresh.db
				.selectFrom('answer_theme')
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.where('source', '=', 'human')
				.where('theme_id', '=', retired.id)
				.executeTakeFirstOrThrow();
			expect(Number(human.n)).toBe(6);
		} finally {
			await fresh.db.updateTable('theme').set({ status: 'active' }).where('id', '=', retired.id).execute();
		}
	}, 120_000);

	it('recodes in the engine worker, reporting its progress, while this thread stays free', async () => {
		const c = (await getConsultation(fresh.db, SLUG))!;
		const q3 = c.questions.find((q) => q.key === 'q3')!;
		for (let i = 0; i < 30; i++) {
			const input = submissionSchema.parse({
				id: randomUUID(),
				perspectives: [{ group: 'parent', answers: { q3: `As a parent, more buses and safe parks ${i}` } }]
			});
			await saveSubmission(fresh.db, c, input, { channel: 'online' });
		}
		expect(codingJobState()).toBeNull();
		const seen: string[] = [];
		let gaps = 0;
		let worst = 0;
		let finished = false;
		const job = recodeQuestion(fresh.db, q3.id).finally(() => (finished = true));
		const deadline = Date.now() + 60_000;
		while (!finished && Date.now() < deadline) {
			const line = codingStatusLine(c.questions);
			if (line) seen.push(line);
			const t0 = performance.now();
			await new Promise((r) => setTimeout(r, 0));
			worst = Math.max(worst, performance.now() - t0);
			gaps++;
		}
		const n = await job;
		expect(n).toBeGreaterThanOrEqual(30);
		expect(seen.some((l) => /^(Training the coder for|Recoding) Q3/.test(l))).toBe(true);
		expect(seen.some((l) => new RegExp(`^Recoding Q3: [\\d,]+ of ${n.toLocaleString('en-GB')} answers$`).test(l))).toBe(
			true
		);
		expect(gaps).toBeGreaterThan(1);
		expect(worst).toBeLessThan(1000);
		expect(codingJobState()).toBeNull();
		expect(codingStatusLine(c.questions)).toBeNull();
		// Parents describing themselves are not coded "family".
		const fam = await fresh.db
			.selectFrom('answer_theme')
			.innerJoin('answer', 'answer.id', 'answer_theme.answer_id')
			.innerJoin('theme', 'theme.id', 'answer_theme.theme_id')
			.select('theme.code')
			.where('answer.question_id', '=', q3.id)
			.where('answer.text', 'like', 'As a parent, more buses%')
			.where('answer_theme.applies', '=', 1)
			.execute();
		expect(fam.map((r) => r.code)).toContain('transport');
		expect(fam.map((r) => r.code)).not.toContain('time-friends-family');
	}, 120_000);
});
