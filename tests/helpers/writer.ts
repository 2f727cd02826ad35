import { afterAll, beforeAll } from 'vitest';
import { preparedDatabase, type Engine, type FreshDb } from './databases';
import { suiteEnv } from './env';
import { SLUG } from './consultation';
import { getConsultation, type ConsultationView } from '../../src/lib/server/consultations/queries';
import type { SubmissionInput } from '../../src/lib/schemas/submission';
import type { Db } from '../../src/lib/server/db/connect';

/** An online submission with one answer (a young person in Wychavon, q2), as the grouped-commit tests send it. */
export const writerInput = (id: string, text: string): SubmissionInput =>
	({
		id,
		district: 'wychavon',
		perspectives: [{ group: 'young_person', answers: { q2: text } }],
		about: { ageBand: '18-24' }
	}) as never;

export interface WriterSuite {
	fresh: FreshDb;
	c: ConsultationView;
}

/**
 * A describe block's prepared database and its consultation, made in its beforeAll with the environment variables
 * of `env` set (SUBMIT_WRITER_THREAD and the like, read by the writer), dropped in its afterAll, where those
 * variables and the ones named in `restore` (which the tests set themselves) are put back as they were. The
 * returned object's `fresh` and `c` are there from the beforeAll on. `before` runs last in the beforeAll.
 */
export function writerSuite(
	engine: Engine['name'],
	{
		env = {},
		restore = [],
		before
	}: { env?: Record<string, string>; restore?: string[]; before?: (s: WriterSuite) => Promise<void> } = {}
): WriterSuite {
	const suite = {} as WriterSuite;
	const vars = suiteEnv(env, restore);
	beforeAll(async () => {
		vars.set();
		suite.fresh = await preparedDatabase(engine);
		suite.c = (await getConsultation(suite.fresh.db, SLUG))!;
		await before?.(suite);
	}, 120_000);
	afterAll(async () => {
		vars.restore();
		await suite.fresh?.drop();
	});
	return suite;
}

/**
 * How many of the submissions sent with `ids` are stored (a random id is kept in client_id under a time-ordered row
 * id, lean50: submissions/client-ids.ts).
 */
export async function storedCount(db: Db, ids: string[]): Promise<number> {
	const row = await db
		.selectFrom('submission')
		.select((eb) => eb.fn.countAll().as('n'))
		.where((eb) => eb.or([eb('id', 'in', ids), eb('client_id', 'in', ids)]))
		.executeTakeFirstOrThrow();
	return Number(row.n);
}
