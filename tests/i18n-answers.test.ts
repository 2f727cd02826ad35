import { afterAll, beforeAll, expect, it } from 'vitest';
import { rowIdOf } from './helpers/client-ids';
import { randomUUID } from 'node:crypto';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { getConsultation } from '../src/lib/server/consultations/queries';
import { submitResponse } from '../src/lib/server/survey/submit';
import { codeUncoded, stopBackgroundCoding } from '../src/lib/server/coding/index';
import { answersByLanguage } from '../src/lib/server/i18n/answers';
import { listAnswers } from '../src/lib/server/review/index';
import { scopeOf } from '../src/lib/server/analysis/scope';
import { parseFilters, parseReviewFilters } from '../src/lib/analysis/filters';
import { SLUG } from './helpers/consultation';

const POLISH = 'Potrzebujemy więcej bezpiecznych miejsc do zabawy dla dzieci w parku i lepszych autobusów do szkoły';
const ENGLISH = 'There is nothing to do round here for young people after school, we need a youth club';

describeEachEngine('answers remember their language', (engine) => {
	let fresh: FreshDb;
	beforeAll(async () => {
		fresh = await preparedDatabase(engine);
	});
	afterAll(async () => {
		await stopBackgroundCoding();
		await fresh?.drop();
	});

	async function answersOf(id: string) {
		return (
			fresh.db
				.selectFrom('answer')
				.innerJoin('question', 'question.id', 'answer.question_id')
				.select(['answer.id', 'question.key', 'answer.language', 'answer.ui_language', 'answer.coded_at'])
				// The row's own id: the server's (time-ordered) for a random id sent (submissions/client-ids.ts).
				.where('answer.submission_id', '=', await rowIdOf(fresh.db, id))
				.orderBy('question.key')
				.execute()
		);
	}

	it('stores a Polish answer with its language and queues it for a person instead of coding it', async () => {
		const c = (await getConsultation(fresh.db, SLUG))!;
		const polish = randomUUID();
		const english = randomUUID();
		const sent = await submitResponse(
			fresh.db,
			SLUG,
			{ id: polish, language: 'pl', perspectives: [{ group: 'other', answers: { q1: POLISH } }] },
			{ consultation: c }
		);
		expect(sent.kind).toBe('created');
		// Written in English through the Polish survey: English is what the words are in.
		await submitResponse(
			fresh.db,
			SLUG,
			{ id: english, language: 'pl', perspectives: [{ group: 'other', answers: { q1: ENGLISH } }] },
			{ consultation: c }
		);

		const [pl] = await answersOf(polish);
		expect(pl).toMatchObject({ key: 'q1', language: 'pl', ui_language: 'pl' });
		const [en] = await answersOf(english);
		expect(en).toMatchObject({ language: 'en', ui_language: 'pl' });

		await codeUncoded(fresh.db, c.id);
		expect((await answersOf(english))[0].coded_at).not.toBeNull();
		expect((await answersOf(polish))[0].coded_at).toBeNull();
		const autoRows = await fresh.db
			.selectFrom('answer_theme')
			.select('theme_id')
			.where('answer_id', '=', pl.id)
			.where('source', '=', 'auto')
			.execute();
		expect(autoRows).toEqual([]);

		// The dashboard counts it as Polish, waiting for a person; review labels it.
		const byLanguage = await answersByLanguage(fresh.db, c.id);
		expect(byLanguage.find((l) => l.language === 'pl')).toMatchObject({ name: 'Polish', answers: 1, waiting: 1 });
		const { answers } = await listAnswers(
			fresh.db,
			scopeOf(c, parseFilters(new URLSearchParams('min=0&q=q1'))),
			parseReviewFilters(new URLSearchParams('unreviewed=1')),
			500
		);
		const shown = answers.find((a) => a.id === pl.id);
		expect(shown).toMatchObject({ language: 'pl', needsPerson: true });
		expect(answers.find((a) => a.id === en.id)).toMatchObject({ language: 'en', needsPerson: false });
	});

	it('takes the survey language for an answer too short to tell, and English when none is given', async () => {
		const c = (await getConsultation(fresh.db, SLUG))!;
		const welsh = randomUUID();
		const plain = randomUUID();
		await submitResponse(
			fresh.db,
			SLUG,
			{ id: welsh, language: 'cy', perspectives: [{ group: 'other', answers: { q1: 'Mwy o fysiau' } }] },
			{ consultation: c }
		);
		await submitResponse(
			fresh.db,
			SLUG,
			{ id: plain, perspectives: [{ group: 'other', answers: { q1: 'more buses' } }] },
			{ consultation: c }
		);
		expect((await answersOf(welsh))[0]).toMatchObject({ language: 'cy', ui_language: 'cy' });
		expect((await answersOf(plain))[0]).toMatchObject({ language: 'en', ui_language: null });
	});
});
