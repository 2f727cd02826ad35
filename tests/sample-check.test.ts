import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { loadSmallFixture, type Fixture } from './fixtures/analysis/small';
import {
	listSampleChecks,
	machineCodedPool,
	recordVerdict,
	sampleItem,
	sampleResults,
	startSampleCheck,
	nextPending,
	SampleCheckError
} from '../src/lib/server/sample-check';
import { methodFacts } from '../src/lib/server/sample-check/method';
import { methodStatement } from '../src/lib/analysis/method';
import { wilson } from '../src/lib/analysis/sample-check';
import { parseForm } from '../src/lib/server/forms';
import { sampleStartForm, sampleVerdictForm } from '../src/lib/schemas/sample-check';
import { WITHHELD_TEXT } from '../src/lib/server/safeguarding/withheld';
import { flagAnswer } from './helpers/flags';

describeEachEngine('check a sample of the machine’s coding', (engine) => {
	let fresh: FreshDb;
	let fx: Fixture;
	const officer = () => ({ id: fx.officerId, mayReadFlagged: false });
	const items = (checkId: number) =>
		fresh.db
			.selectFrom('sample_check_item')
			.selectAll()
			.where('sample_check_id', '=', checkId)
			.orderBy('position')
			.execute();
	beforeAll(async () => {
		fresh = await preparedDatabase(engine);
		fx = await loadSmallFixture(fresh.db);
		// The fixture's automatic codings, as the engine leaves them: coded_at set.
		await fresh.db
			.updateTable('answer')
			.set({ coded_at: '2017-07-01T00:00:00.000Z' })
			.where('id', 'in', [fx.answers.S1yp, fx.answers.S1pc, fx.answers.S2, fx.answers.S3, fx.answers.S4, fx.answers.S5])
			.execute();
	});
	afterAll(() => fresh?.drop());

	it('reads the forms with parseForm: bad sizes, seeds, positions and themes get a clear message on their field', async () => {
		const post = (pairs: [string, string][]) => {
			const form = new FormData();
			for (const [k, v] of pairs) form.append(k, v);
			return form;
		};
		const start = async (pairs: [string, string][]) => {
			const r = await parseForm(sampleStartForm, post(pairs));
			return r.ok ? r.data : r.errors;
		};
		expect(await start([])).toEqual({ size: 100, seed: null });
		expect(
			await start([
				['size', ''],
				['seed', '']
			])
		).toEqual({ size: 100, seed: null });
		expect(
			await start([
				['size', ' 40 '],
				['seed', '7']
			])
		).toEqual({ size: 40, seed: 7 });
		for (const size of ['0', '-3', '2.5', 'ten', '1001', '1e2'])
			expect(await start([['size', size]])).toEqual({
				size: 'Enter how many answers to check, a whole number from 1 to 1,000'
			});
		for (const seed of ['0', 'abc', '3000000000', '-1'])
			expect(
				await start([
					['size', '10'],
					['seed', seed]
				])
			).toEqual({
				seed: 'The seed must be a whole number from 1 to 2,147,483,647, or left empty'
			});
		const failed = await parseForm(
			sampleStartForm,
			post([
				['size', 'lots'],
				['seed', 'x']
			])
		);
		expect(failed.ok).toBe(false);
		if (!failed.ok) {
			expect(failed.failure.status).toBe(400);
			expect(Object.keys(failed.errors)).toEqual(['size', 'seed']);
			expect(failed.failure.data.values).toEqual({ size: 'lots', seed: 'x' });
		}

		const verdict = async (pairs: [string, string][]) => {
			const r = await parseForm(sampleVerdictForm, post(pairs));
			return r.ok ? r.data : r.errors;
		};
		expect(
			await verdict([
				['position', '2'],
				['theme', '5'],
				['theme', '3']
			])
		).toEqual({ position: 2, themes: [5, 3] });
		expect(await verdict([['position', '0']])).toEqual({ position: 0, themes: [] });
		for (const position of ['', 'x', '-1', '1.5'])
			expect(await verdict([['position', position]])).toEqual({ themes: 'Choose an answer of this sample.' });
		for (const theme of ['0', 'abc', '-2'])
			expect(
				await verdict([
					['position', '1'],
					['theme', '4'],
					['theme', theme]
				])
			).toEqual({
				themes: 'One of those themes does not belong to this question.'
			});
	});

	it('draws from machine-coded answers only, stratified by question, the same draw for the same seed; audited', async () => {
		const pool = await machineCodedPool(
			fresh.db,
			fx.c.questions.map((q) => q.id)
		);
		const q1 = fx.c.questions.find((q) => q.key === 'q1')!.id;
		const q2 = fx.c.questions.find((q) => q.key === 'q2')!.id;
		// S1pcQ2 was never coded (no coded_at, no auto rows): not in the pool.
		expect(pool.get(q1)!.sort()).toEqual(
			[fx.answers.S1yp, fx.answers.S1pc, fx.answers.S2, fx.answers.S3, fx.answers.S4].sort()
		);
		expect(pool.get(q2)).toEqual([fx.answers.S5]);

		const a = await startSampleCheck(fresh.db, fx.c, { size: 3, seed: 12345 }, officer());
		const b = await startSampleCheck(fresh.db, fx.c, { size: 3, seed: 12345 }, officer());
		const ia = await items(a);
		const ib = await items(b);
		// 3 of 6: q1 gets 2 (5/6 × 3 = 2.5 → 2 by largest remainder after q2's guaranteed 1), q2 gets 1
		expect(ia.filter((i) => i.question_id === q1)).toHaveLength(2);
		expect(ia.filter((i) => i.question_id === q2)).toHaveLength(1);
		expect(ib.map((i) => i.answer_id)).toEqual(ia.map((i) => i.answer_id));
		// other seeds give other draws (of the 10 possible pairs from q1, not all seeds pick the same)
		const draws = new Set<string>();
		for (const seed of [1, 2, 3, 4, 5, 6]) {
			const id = await startSampleCheck(fresh.db, fx.c, { size: 3, seed }, officer());
			draws.add(JSON.stringify((await items(id)).map((i) => i.answer_id)));
		}
		expect(draws.size).toBeGreaterThan(1);
		// the machine's themes are stored with the draw
		const s4 = ia.find((i) => i.answer_id === fx.answers.S4);
		if (s4) expect(JSON.parse(s4.machine_themes).sort()).toEqual([fx.themes.education, fx.themes.family].sort());
		expect(ia.every((i) => i.status === 'pending' && i.officer_themes === null)).toBe(true);
		const log = await fresh.db
			.selectFrom('audit_log')
			.selectAll()
			.where('action', '=', 'sample.start')
			.where('entity_id', '=', String(a))
			.executeTakeFirstOrThrow();
		expect(JSON.parse(log.after!)).toMatchObject({ seed: 12345, requested: 3, drawn: 3 });
		expect(log.user_id).toBe(fx.officerId);
	});

	it('records confirmations, corrections and skips as the officer’s coding and reports agreement with intervals', async () => {
		const id = await startSampleCheck(fresh.db, fx.c, { size: 100, seed: 99 }, officer());
		const all = await items(id);
		expect(all).toHaveLength(6);
		const pos = (answer: number) => all.find((i) => i.answer_id === answer)!.position;
		// S1yp: machine family+friends, officer confirms  -> tp 2
		await recordVerdict(fresh.db, fx.c, id, pos(fx.answers.S1yp), [fx.themes.family, fx.themes.friends], officer());
		// S4: machine education+family, officer keeps education only -> tp 1, fp 1
		await recordVerdict(fresh.db, fx.c, id, pos(fx.answers.S4), [fx.themes.education], officer());
		// S3: machine friends, officer adds pets -> tp 1, fn 1
		await recordVerdict(fresh.db, fx.c, id, pos(fx.answers.S3), [fx.themes.friends, fx.themes.pets], officer());
		// S2: skipped -> left out
		await recordVerdict(fresh.db, fx.c, id, pos(fx.answers.S2), 'skip', officer());

		const r = await sampleResults(fresh.db, fx.c, id);
		expect([r.drawn, r.checked, r.skipped]).toEqual([6, 3, 1]);
		expect([r.overall.tp, r.overall.fp, r.overall.fn]).toEqual([4, 1, 1]);
		expect(r.overall.precision).toBeCloseTo(0.8, 10);
		expect(r.overall.recall).toBeCloseTo(0.8, 10);
		expect(r.overall.f1).toBeCloseTo(0.8, 10);
		expect(r.overall.precisionCi).toEqual(wilson(4, 5));
		expect(r.overall.exact).toBe(1);
		expect(r.perQuestion.map((q) => [q.key, q.drawn, q.agreement.answers])).toEqual([
			['q1', 5, 3],
			['q2', 1, 0]
		]);
		expect(r.perQuestion[1].agreement.f1).toBeNull();

		// the verdicts are the officer's coding: human rows, reviewed, audited
		const s4 = await fresh.db
			.selectFrom('answer_theme')
			.select(['theme_id', 'source', 'applies'])
			.where('answer_id', '=', fx.answers.S4)
			.orderBy('theme_id')
			.execute();
		expect(s4).toEqual(
			[
				{ theme_id: fx.themes.family, source: 'human', applies: 0 },
				{ theme_id: fx.themes.education, source: 'human', applies: 1 }
			].sort((x, y) => x.theme_id - y.theme_id)
		);
		const reviewed = await fresh.db
			.selectFrom('answer')
			.select('reviewed_by')
			.where('id', '=', fx.answers.S3)
			.executeTakeFirstOrThrow();
		expect(reviewed.reviewed_by).toBe(fx.officerId);
		const checks = await fresh.db
			.selectFrom('audit_log')
			.select(['before', 'after'])
			.where('action', '=', 'sample.check')
			.where('entity_id', '=', String(id))
			.orderBy('id')
			.execute();
		expect(checks).toHaveLength(4);
		expect(JSON.parse(checks[3].after!)).toMatchObject({ status: 'skipped', answer: fx.answers.S2 });
		// checked answers leave the machine-coded pool; the next pending skips the done ones
		const pool = await machineCodedPool(
			fresh.db,
			fx.c.questions.map((q) => q.id)
		);
		expect([...pool.values()].flat()).not.toContain(fx.answers.S4);
		const next = await nextPending(fresh.db, id);
		expect([fx.answers.S1pc, fx.answers.S5]).toContain(all[next!].answer_id);

		// the method statement quotes the latest sample with its intervals
		const facts = await methodFacts(fresh.db, fx.c);
		expect(facts.sample?.id).toBe(id);
		expect(facts.sampleChecked).toBe(3);
		expect(facts.person).toBe(3);
		expect(facts.answers).toBe(7);
		expect(facts.machineOnly + facts.person + facts.uncoded).toBe(7);
		const m = methodStatement(facts, 'Ticked: top 5.');
		expect(m.agreement).toContain(
			'random sample of 3 machine-coded answers checked by an officer (of 6 drawn): F1 0.80 (95% interval'
		);
		expect(m.coding).toContain('3 were coded or checked by a person');
		expect(m.updated).toMatch(/^Coding last updated \d+ \w+ \d{4} at \d\d:\d\d \(UTC\)\.$/);
	});

	it('keeps a flagged answer’s words from officers without the permission: they can only skip it; nothing half-written', async () => {
		await flagAnswer(fresh.db, fx.answers.S1pc);
		const id = await startSampleCheck(fresh.db, fx.c, { size: 100, seed: 5 }, officer());
		const item = (await items(id)).find((i) => i.answer_id === fx.answers.S1pc)!;
		const view = await sampleItem(fresh.db, fx.c, id, item.position, { mayReadFlagged: false });
		expect(view).toMatchObject({ text: WITHHELD_TEXT, withheld: true });
		const lead = await sampleItem(fresh.db, fx.c, id, item.position, { mayReadFlagged: true });
		expect(lead).toMatchObject({ text: 'education', withheld: false });
		await expect(recordVerdict(fresh.db, fx.c, id, item.position, [fx.themes.education], officer())).rejects.toThrow(
			/withheld/
		);
		const after = await fresh.db
			.selectFrom('sample_check_item')
			.select(['status', 'officer_themes'])
			.where('sample_check_id', '=', id)
			.where('position', '=', item.position)
			.executeTakeFirstOrThrow();
		expect(after).toEqual({ status: 'pending', officer_themes: null });
		expect(
			await fresh.db
				.selectFrom('answer_theme')
				.select('source')
				.where('answer_id', '=', fx.answers.S1pc)
				.where('source', '=', 'human')
				.execute()
		).toEqual([]);
		// a theme of another question: refused, nothing written
		const s5 = (await items(id)).find((i) => i.answer_id === fx.answers.S5)!;
		await expect(recordVerdict(fresh.db, fx.c, id, s5.position, [fx.themes.family], officer())).rejects.toBeInstanceOf(
			SampleCheckError
		);
		const s5After = await fresh.db
			.selectFrom('sample_check_item')
			.select('status')
			.where('sample_check_id', '=', id)
			.where('position', '=', s5.position)
			.executeTakeFirstOrThrow();
		expect(s5After.status).toBe('pending');
		expect(
			await fresh.db
				.selectFrom('audit_log')
				.select('id')
				.where('action', '=', 'sample.check')
				.where('entity_id', '=', String(id))
				.execute()
		).toEqual([]);
		await recordVerdict(fresh.db, fx.c, id, item.position, 'skip', officer());
		expect((await listSampleChecks(fresh.db, fx.c.id)).find((s) => s.id === id)).toMatchObject({
			skipped: 1,
			checked: 0
		});
	});

	it('says so, and stores nothing, when there is nothing machine-coded to draw', async () => {
		const before = (await listSampleChecks(fresh.db, fx.c.id)).length;
		await fresh.db
			.updateTable('answer')
			.set({ reviewed_at: new Date().toISOString(), reviewed_by: fx.officerId })
			.execute();
		await expect(startSampleCheck(fresh.db, fx.c, { size: 10, seed: 1 }, officer())).rejects.toThrow(
			/no machine-coded answers/
		);
		expect((await listSampleChecks(fresh.db, fx.c.id)).length).toBe(before);
	});
});
