import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { createUser } from '../src/lib/server/users/index';
import { getConsultation, type ConsultationView } from '../src/lib/server/consultations/queries';
import { parseUpload, ImportFileError } from '../src/lib/server/import/parse';
import { commitImport, fileHash, guessMapping, planImport, ImportRefused } from '../src/lib/server/import/plan';

const fixture = (name: string) => new Uint8Array(fs.readFileSync(path.join('tests/fixtures/import', name)));

async function plan(c: ConsultationView, name: string, buf = fixture(name)) {
	const sheet = await parseUpload(buf, name);
	return { sheet, plan: planImport(c, sheet, guessMapping(sheet.headers), fileHash(buf)), hash: fileHash(buf) };
}

describeEachEngine('spreadsheet import', (engine) => {
	let db: FreshDb;
	let c: ConsultationView;
	let officer: number;
	const imported = async () => Number((await db.db.selectFrom('submission').select((eb) => eb.fn.countAll().as('n')).where('channel', '=', 'import').executeTakeFirstOrThrow()).n);

	beforeAll(async () => {
		db = await preparedDatabase(engine);
		c = (await getConsultation(db.db, 'worcestershire-cypp-2017'))!;
		officer = (await createUser(db.db, { email: 'o@x.gov.uk', role: 'officer', password: 'password-long-1' }, null)).id;
	});
	afterAll(async () => db?.drop());

	it('imports a good CSV (labels or codes, quoted line breaks, dates) once, even when uploaded twice', async () => {
		const { plan: p, hash } = await plan(c, 'good.csv');
		expect(p.mappingErrors).toEqual([]);
		expect(p.rows.map((r) => r.errors)).toEqual([[], [], [], [], []]);
		const opts = { skipBad: false, actorId: officer, filename: 'good.csv', hash };
		expect(await commitImport(db.db, c, p, opts)).toEqual({ created: 5, alreadyThere: 0, skipped: 0 });
		expect(await commitImport(db.db, c, p, opts)).toEqual({ created: 0, alreadyThere: 5, skipped: 0 });
		expect(await imported()).toBe(5);
		const rows = await db.db
			.selectFrom('submission as s')
			.innerJoin('perspective as p', 'p.submission_id', 's.id')
			.innerJoin('answer as a', 'a.submission_id', 's.id')
			.innerJoin('question as q', 'q.id', 'a.question_id')
			.select(['p.group_code', 's.district_code', 'q.key', 'a.text', 's.created_at', 's.eq_gender'])
			.where('s.channel', '=', 'import')
			.orderBy('q.key')
			.execute();
		expect(rows.map((r) => [r.group_code, r.district_code, r.key])).toEqual([
			['young_person', 'redditch', 'q1'],
			['child', 'bromsgrove', 'q2'],
			['parent_carer', null, 'q3'],
			[null, 'wyre-forest', 'q4'],
			[null, 'worcester-city', 'q5']
		]);
		expect(rows[2].text).toBe('Cheaper childcare\nand longer opening hours');
		expect(rows[1].created_at.slice(0, 10)).toBe('2017-06-05');
		expect(rows[4].text).toBe('Say "hello" to people');
		expect(rows.every((r) => r.eq_gender === 'not_asked')).toBe(true);
		const audit = await db.db.selectFrom('audit_log').selectAll().where('action', '=', 'import.commit').execute();
		expect(audit).toHaveLength(2);
	});

	it('reports bad rows by number and field, imports nothing unless told to skip them', async () => {
		const before = await imported();
		const { plan: p, hash } = await plan(c, 'bad-rows.csv');
		expect(p.good).toBe(2);
		expect(p.bad).toBe(4);
		const problems = Object.fromEntries(p.rows.filter((r) => r.errors.length).map((r) => [r.rowNumber, r.errors.join(' | ')]));
		expect(problems[3]).toMatch(/Respondent group "martian"/);
		expect(problems[4]).toMatch(/District "atlantis"/);
		expect(problems[5]).toMatch(/Question "q9"/);
		expect(problems[6]).toMatch(/Response text is empty/);
		await expect(commitImport(db.db, c, p, { skipBad: false, actorId: officer, filename: 'bad-rows.csv', hash })).rejects.toThrow(ImportRefused);
		expect(await imported()).toBe(before);
		expect(await commitImport(db.db, c, p, { skipBad: true, actorId: officer, filename: 'bad-rows.csv', hash })).toEqual({ created: 2, alreadyThere: 0, skipped: 4 });
		expect(await imported()).toBe(before + 2);
	});

	it('says which columns are missing in a spreadsheet with the wrong columns', async () => {
		const { plan: p } = await plan(c, 'wrong-columns.csv');
		expect(p.mappingErrors.join(' ')).toMatch(/response text/);
		expect(p.mappingErrors.join(' ')).toMatch(/question/);
		await expect(commitImport(db.db, c, p, { skipBad: true, actorId: officer, filename: 'x', hash: 'x' })).rejects.toThrow(/column/);
	});

	it('refuses a binary file named .csv, an empty file, a PDF and an oversized file with clear messages', async () => {
		await expect(parseUpload(fixture('binary.csv'), 'binary.csv')).rejects.toThrow(/binary data/);
		await expect(parseUpload(new Uint8Array(), 'empty.csv')).rejects.toThrow(/empty/);
		await expect(parseUpload(new TextEncoder().encode('%PDF-1.4'), 'report.pdf')).rejects.toThrow(/not a CSV or XLSX/);
		await expect(parseUpload(new Uint8Array([0xc3, 0x28, 0x41]), 'latin.csv')).rejects.toThrow(/not UTF-8/);
		await expect(parseUpload(new Uint8Array(11 * 1024 * 1024), 'huge.csv')).rejects.toThrow(/limit is 10 MB/);
		await expect(parseUpload(new TextEncoder().encode('PK\u0003\u0004garbage'), 'broken.xlsx')).rejects.toBeInstanceOf(ImportFileError);
	});

	it('reads an XLSX with the same rules as a CSV', async () => {
		const wb = new ExcelJS.Workbook();
		const ws = wb.addWorksheet('Responses');
		ws.addRow(['Question', 'Text', 'Group', 'District']);
		ws.addRow(['q2', 'Exams are stressful', 'Young person (13 to 24)', 'Malvern Hills']);
		ws.addRow(['q3', 'More mental health support', 'practitioner', '']);
		ws.addRow(['q1', 'Feeling safe', 'nobody', '']);
		const buf = new Uint8Array(await wb.xlsx.writeBuffer());
		const { sheet, plan: p } = await plan(c, 'responses.xlsx', buf);
		expect(sheet.format).toBe('xlsx');
		expect(p.good).toBe(2);
		expect(p.rows[2]).toMatchObject({ rowNumber: 4, errors: [expect.stringMatching(/"nobody"/)] });
		expect(p.rows[0].input?.perspectives[0]).toEqual({ group: 'young_person', answers: { q2: 'Exams are stressful' } });
		expect(p.rows[0].input?.district).toBe('malvern-hills');
	});
});
