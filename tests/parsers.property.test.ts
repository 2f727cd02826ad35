import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseAnswersCsv, parseCodedCsv, CsvError } from '../src/lib/themes/csv';
import { parseUpload, ImportFileError } from '../src/lib/server/import/parse';
import { planImport, commitImport, guessMapping, ImportRefused, fileHash } from '../src/lib/server/import/plan';
import { getConsultation } from '../src/lib/server/consultations/queries';
import { preparedDatabase, type FreshDb } from './helpers/databases';
import { SLUG } from './helpers/consultation';
import { addUser } from './helpers/users';

/**
 * Hostile and random input to the two CSV/XLSX readers (the coding CLI's and
 * the import's): they either parse or refuse with their own clear error, never
 * crash with anything else; and an import with a bad row writes nothing.
 */
const SEED = 20261122;
const cell = fc.oneof(
	fc.string({ maxLength: 30 }),
	fc.constantFrom(
		'"',
		'""',
		'\r\n',
		',',
		'=cmd|"/c calc"!A1',
		'\u0000',
		'\uFEFF',
		'q1',
		'child',
		'redditch',
		'<script>x</script>'
	)
);
const csvText = fc
	.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { maxLength: 8 })
	.map((rows) =>
		rows.map((r) => r.join(',')).join(fc.sample(fc.constantFrom('\n', '\r\n'), { numRuns: 1, seed: rows.length })[0])
	);

describe('the coding CLI reading CSV', () => {
	it('parses or names the file and problem, for any text', () => {
		fc.assert(
			fc.property(fc.oneof(csvText, fc.string({ maxLength: 200 })), (body) => {
				for (const text of [body, `id,text\n${body}`, `id,text,themes\n${body}`]) {
					try {
						const answers = parseAnswersCsv(text, 'answers.csv');
						for (const a of answers) expect(typeof a.id === 'string' && typeof a.text === 'string').toBe(true);
					} catch (e) {
						expect(e).toBeInstanceOf(CsvError);
						expect((e as Error).message).toMatch(/^answers\.csv(:\d+)?: ./);
					}
					try {
						parseCodedCsv(text, 'coded.csv', new Set(['family', 'friends']));
					} catch (e) {
						expect(e).toBeInstanceOf(CsvError);
					}
				}
			}),
			{ seed: SEED, numRuns: 400 }
		);
	});
});

describe('the import reading uploads', () => {
	it('parses or refuses with a message, for random bytes and random CSV, named .csv, .txt or .xlsx', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.oneof(
					fc.uint8Array({ maxLength: 400 }),
					csvText.map((t) => new TextEncoder().encode(t))
				),
				fc.constantFrom('leaves.csv', 'leaves.txt', 'leaves.xlsx', 'leaves.xls', 'leaves.pdf'),
				async (bytes, name) => {
					try {
						const sheet = await parseUpload(bytes, name);
						expect(Array.isArray(sheet.headers)).toBe(true);
						for (const r of sheet.rows) expect(r.rowNumber).toBeGreaterThan(1);
					} catch (e) {
						expect(e).toBeInstanceOf(ImportFileError);
						expect((e as Error).message.length).toBeGreaterThan(5);
					}
				}
			),
			{ seed: SEED, numRuns: 250 }
		);
	});
});

describe('an import with any bad row', () => {
	let fresh: FreshDb;
	beforeAll(async () => {
		fresh = await preparedDatabase('sqlite');
	});
	afterAll(() => fresh?.drop());

	it('writes nothing unless the officer skips bad rows, and then writes exactly the good ones', async () => {
		const c = (await getConsultation(fresh.db, SLUG))!;
		const officer = await addUser(fresh.db, { email: 'officer@example.gov.uk', role: 'officer' });
		const row = fc.record({
			text: fc.oneof(fc.constantFrom('', '   ', 'x'.repeat(2001)), fc.string({ minLength: 1, maxLength: 40 })),
			question: fc.constantFrom('q1', 'q3', 'q9', ''),
			group: fc.constantFrom('child', 'parent_carer', 'pirate', '')
		});
		let file = 0;
		await fc.assert(
			fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 12 }), fc.boolean(), async (rows, skipBad) => {
				const sheet = {
					format: 'csv' as const,
					headers: ['text', 'question', 'group'],
					rows: rows.map((r, i) => ({ rowNumber: i + 2, cells: [r.text, r.question, r.group] }))
				};
				const hash = fileHash(new TextEncoder().encode(`file-${file++}`));
				const plan = planImport(c, sheet, guessMapping(sheet.headers), hash);
				const count = async () =>
					Number(
						(
							await fresh.db
								.selectFrom('submission')
								.select((eb) => eb.fn.countAll<number>().as('n'))
								.executeTakeFirstOrThrow()
						).n
					);
				const before = await count();
				try {
					const result = await commitImport(fresh.db, c, plan, {
						skipBad,
						actorId: officer.id,
						filename: 'f.csv',
						hash
					});
					expect(plan.bad === 0 || skipBad).toBe(true);
					expect(await count()).toBe(before + result.created);
					expect(result.created + result.alreadyThere).toBe(plan.good);
				} catch (e) {
					expect(e).toBeInstanceOf(ImportRefused);
					expect(await count()).toBe(before);
				}
			}),
			{ seed: SEED, numRuns: 60 }
		);
	});
});
