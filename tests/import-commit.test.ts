import { SLUG } from './helpers/consultation';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../src/lib/server/db/schema';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { createUser } from '../src/lib/server/users/index';
import { getConsultation, type ConsultationView } from '../src/lib/server/consultations/queries';
import { parseUpload } from '../src/lib/server/import/parse';
import { commitImport, fileHash, guessMapping, planImport } from '../src/lib/server/import/plan';

// Where each answer is screened and redacted: inside or outside an import's write transaction.
const calls = vi.hoisted(() => ({ inside: 0, outside: 0, open: false }));
vi.mock('../src/lib/server/submissions/answer-pipeline', async (original) => {
	const real = await original<typeof import('../src/lib/server/submissions/answer-pipeline')>();
	return {
		...real,
		prepareAnswerText: (text: string) => {
			if (calls.open) calls.inside++;
			else calls.outside++;
			return real.prepareAnswerText(text);
		}
	};
});

/** The database, with every transaction it opens marking `calls.open` while its work runs. */
function watched(db: Kysely<Database>): Kysely<Database> {
	return new Proxy(db, {
		get(target, key) {
			if (key === 'transaction')
				return () => {
					const builder = target.transaction();
					return {
						execute: <T>(work: (tx: Parameters<Parameters<typeof builder.execute>[0]>[0]) => Promise<T>) =>
							builder.execute(async (tx) => {
								calls.open = true;
								try {
									return await work(tx);
								} finally {
									calls.open = false;
								}
							})
					};
				};
			const value = Reflect.get(target, key);
			return typeof value === 'function' ? value.bind(target) : value;
		}
	});
}

describeEachEngine('import commit', (engine) => {
	let db: FreshDb;
	let c: ConsultationView;
	let officer: number;
	beforeAll(async () => {
		db = await preparedDatabase(engine);
		c = (await getConsultation(db.db, SLUG))!;
		officer = (await createUser(db.db, { email: 'o@x.gov.uk', role: 'officer', password: 'password-long-1' }, null)).id;
	});
	afterAll(async () => db?.drop());

	it('screens and redacts every answer before its chunk’s transaction opens, so the transaction only writes', async () => {
		const lines = [
			'text,question,group',
			...Array.from(
				{ length: 300 },
				(_, i) => `"Answer ${i}: my friend Jake at jake@example.com, more buses",q${(i % 5) + 1},child`
			)
		];
		const buf = new TextEncoder().encode(lines.join('\n'));
		const sheet = await parseUpload(buf, 'screened.csv');
		const p = planImport(c, sheet, guessMapping(sheet.headers), fileHash(buf));
		calls.inside = calls.outside = 0;
		const result = await commitImport(watched(db.db), c, p, {
			skipBad: false,
			actorId: officer,
			filename: 'screened.csv',
			hash: fileHash(buf),
			chunkMs: 2
		});
		expect(result.created).toBe(300);
		expect(calls).toMatchObject({ inside: 0, outside: 300 });
		// What was stored is what the pipeline makes of each answer (redacted copy included).
		const stored = await db.db
			.selectFrom('answer')
			.select(['text', 'redacted_text', 'pii_kinds'])
			.where('text', 'like', 'Answer 7:%')
			.executeTakeFirstOrThrow();
		expect(stored.redacted_text).toContain('[email]');
		expect(stored.redacted_text).not.toContain('jake@example.com');
	});
});
