import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { getConsultation, type ConsultationView } from '../src/lib/server/consultations/queries';
import { parseUpload, ImportFileError } from '../src/lib/server/import/parse';
import {
	commitImport,
	fileHash,
	guessMapping,
	planImport,
	ImportRefused,
	NOT_KNOWN,
	NEW_LOCATION,
	type ValueMaps
} from '../src/lib/server/import/plan';
import { addLocation, listLocations } from '../src/lib/server/entry/locations';
import { smallHandmadeXlsx } from '../scripts/lib/hostile-files';
import { SLUG } from './helpers/consultation';
import { addUser } from './helpers/users';

const fixture = (name: string) => new Uint8Array(fs.readFileSync(path.join('tests/fixtures/import', name)));

async function plan(c: ConsultationView, name: string, buf = fixture(name)) {
	const sheet = await parseUpload(buf, name);
	return { sheet, plan: planImport(c, sheet, guessMapping(sheet.headers), fileHash(buf)), hash: fileHash(buf) };
}

describeEachEngine('spreadsheet import', (engine) => {
	let db: FreshDb;
	let c: ConsultationView;
	let officer: number;
	const imported = async () =>
		Number(
			(
				await db.db
					.selectFrom('submission')
					.select((eb) => eb.fn.countAll().as('n'))
					.where('channel', '=', 'import')
					.executeTakeFirstOrThrow()
			).n
		);

	beforeAll(async () => {
		db = await preparedDatabase(engine);
		c = (await getConsultation(db.db, SLUG))!;
		officer = (await addUser(db.db, { email: 'o@x.gov.uk', role: 'officer', password: 'password-long-1' }, null)).id;
	});
	afterAll(async () => db?.drop());

	it('imports a good CSV (labels or codes, quoted line breaks, dates) once, even when uploaded twice', async () => {
		const { plan: p, hash } = await plan(c, 'good.csv');
		expect(p.mappingErrors).toEqual([]);
		expect(p.rows.map((r) => r.errors)).toEqual([[], [], [], [], []]);
		const opts = { skipBad: false, actorId: officer, filename: 'good.csv', hash };
		expect(await commitImport(db.db, c, p, opts)).toEqual({
			created: 5,
			alreadyThere: 0,
			skipped: 0,
			locationsAdded: 0
		});
		expect(await commitImport(db.db, c, p, opts)).toEqual({
			created: 0,
			alreadyThere: 5,
			skipped: 0,
			locationsAdded: 0
		});
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
		const problems = Object.fromEntries(
			p.rows.filter((r) => r.errors.length).map((r) => [r.rowNumber, r.errors.join(' | ')])
		);
		expect(problems[3]).toMatch(/Respondent group "martian"/);
		expect(problems[4]).toMatch(/District "atlantis"/);
		expect(problems[5]).toMatch(/Question "q9"/);
		expect(problems[6]).toMatch(/Response text is empty/);
		await expect(
			commitImport(db.db, c, p, { skipBad: false, actorId: officer, filename: 'bad-rows.csv', hash })
		).rejects.toThrow(ImportRefused);
		expect(await imported()).toBe(before);
		expect(
			await commitImport(db.db, c, p, { skipBad: true, actorId: officer, filename: 'bad-rows.csv', hash })
		).toEqual({ created: 2, alreadyThere: 0, skipped: 4, locationsAdded: 0 });
		expect(await imported()).toBe(before + 2);
	});

	it('says which columns are missing in a spreadsheet with the wrong columns', async () => {
		const { plan: p } = await plan(c, 'wrong-columns.csv');
		expect(p.mappingErrors.join(' ')).toMatch(/response text/);
		expect(p.mappingErrors.join(' ')).toMatch(/question/);
		await expect(
			commitImport(db.db, c, p, { skipBad: true, actorId: officer, filename: 'x', hash: 'x' })
		).rejects.toThrow(/column/);
	});

	it('refuses a binary file named .csv, an empty file, a PDF and an oversized file with clear messages', async () => {
		await expect(parseUpload(fixture('binary.csv'), 'binary.csv')).rejects.toThrow(/binary data/);
		await expect(parseUpload(new Uint8Array(), 'empty.csv')).rejects.toThrow(/empty/);
		await expect(parseUpload(new TextEncoder().encode('%PDF-1.4'), 'report.pdf')).rejects.toThrow(/not a CSV or XLSX/);
		await expect(parseUpload(new Uint8Array([0xc3, 0x28, 0x41]), 'latin.csv')).rejects.toThrow(/not UTF-8/);
		await expect(parseUpload(new Uint8Array(11 * 1024 * 1024), 'huge.csv')).rejects.toThrow(/limit is 10 MB/);
		await expect(parseUpload(new TextEncoder().encode('PK\u0003\u0004garbage'), 'broken.xlsx')).rejects.toBeInstanceOf(
			ImportFileError
		);
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

	it('cleans a NUL or control character anywhere in a CSV, after the first 8 KB too, and stores the text on this engine', async () => {
		const long = 'Somewhere to go '.repeat(600);
		const csv = `text,question,group\n"${long.slice(0, 1900)}",q1,child\n"Safe\u0000 parks\u0007 and \u001bclubs",q2,child\n`;
		const buf = new TextEncoder().encode(csv);
		expect(buf.byteLength).toBeGreaterThan(1900);
		const padded = new TextEncoder().encode(
			`text,question,group\n${Array.from({ length: 5 }, (_, i) => `"${long.slice(0, 1900)} ${i}",q1,child`).join('\n')}\n"Safe\u0000 parks\u0007 and \u001bclubs",q2,child\n`
		);
		expect(padded.indexOf(0)).toBeGreaterThan(8192);
		const { sheet, plan: p, hash } = await plan(c, 'nul.csv', padded);
		expect(sheet.rows.at(-1)!.cells[0]).toBe('Safe parks and clubs');
		expect(p.bad).toBe(0);
		await commitImport(db.db, c, p, { skipBad: false, actorId: officer, filename: 'nul.csv', hash });
		const stored = await db.db.selectFrom('answer').select('text').where('text', 'like', 'Safe parks%').execute();
		expect(stored.map((r) => r.text)).toEqual(['Safe parks and clubs']);
		// A file with NULs all through its start is still refused as binary, not cleaned into nonsense.
		await expect(
			parseUpload(new Uint8Array([...new TextEncoder().encode('a,b\n'), 0, 0, 0, 0, 1, 2, 0, 0]), 'x.csv')
		).rejects.toThrow(/binary data/);
	});

	it('lets the officer match unknown groups, districts and locations, and adds new locations only when confirmed', async () => {
		const kidderminster = await addLocation(
			db.db,
			{ name: 'Kidderminster Library', district: 'wyre-forest', kind: 'library' },
			new Set(['wyre-forest']),
			officer
		);
		const csv = [
			'text,question,who,area,library',
			'Somewhere to skate,q1,Parent,,Kidderminster Library',
			'More youth clubs,q1,Teenager,Redditch town,Bewdley Library',
			'Quiet places,q2,teenager,Redditch town,bewdley library',
			'Buses,q3,Alien,,',
			'Parks,q3,child,Nowhere,'
		].join('\n');
		const buf = new TextEncoder().encode(csv);
		const sheet = await parseUpload(buf, 'tree.csv');
		const mapping = guessMapping(sheet.headers);
		expect(mapping.location).toBe(4);
		const locations = await listLocations(db.db);
		const hash = fileHash(buf);
		const first = planImport(c, sheet, mapping, hash, { locations });
		expect(first.unmatched.group.map((u) => [u.value, u.rows])).toEqual([
			['Parent', 1],
			['Teenager', 2],
			['Alien', 1]
		]);
		expect(first.unmatched.district.map((u) => [u.value, u.rows])).toEqual([
			['Redditch town', 2],
			['Nowhere', 1]
		]);
		expect(first.unmatched.location.map((u) => [u.value, u.rows])).toEqual([['Bewdley Library', 2]]);
		expect(first.rows[0].errors.join()).toMatch(/Respondent group "Parent" is not one of/);
		expect(first.good).toBe(0);

		const maps: ValueMaps = {
			group: { parent: 'parent_carer', teenager: 'young_person', alien: NOT_KNOWN },
			district: { 'redditch town': 'redditch', nowhere: NOT_KNOWN },
			location: { 'bewdley library': NEW_LOCATION }
		};
		const p = planImport(c, sheet, mapping, hash, { maps, locations });
		expect(p.rows.map((r) => r.errors)).toEqual([[], [], [], [], []]);
		expect(p.newLocations).toEqual([{ name: 'Bewdley Library', districtCode: 'redditch', rows: 2 }]);
		const before = await imported();
		await expect(
			commitImport(db.db, c, p, { skipBad: false, actorId: officer, filename: 'tree.csv', hash })
		).rejects.toThrow(/new location/);
		expect(await imported()).toBe(before);
		expect((await listLocations(db.db)).map((l) => l.name)).not.toContain('Bewdley Library');

		expect(
			await commitImport(db.db, c, p, {
				skipBad: false,
				actorId: officer,
				filename: 'tree.csv',
				hash,
				addLocations: true,
				locationKind: 'library'
			})
		).toEqual({ created: 5, alreadyThere: 0, skipped: 0, locationsAdded: 1 });
		const bewdley = (await listLocations(db.db)).find((l) => l.name === 'Bewdley Library')!;
		expect(bewdley).toMatchObject({ districtCode: 'redditch', kind: 'library' });
		const rows = await db.db
			.selectFrom('submission as s')
			.innerJoin('perspective as p', 'p.submission_id', 's.id')
			.innerJoin('answer as a', 'a.submission_id', 's.id')
			.select(['a.text', 'p.group_code', 's.district_code', 's.location_id'])
			.where(
				's.id',
				'in',
				p.rows.map((r) => r.input!.id)
			)
			.execute();
		const by = Object.fromEntries(rows.map((r) => [r.text, [r.group_code, r.district_code, r.location_id]]));
		expect(by).toEqual({
			// a known location's leaf without a district is counted in the location's district
			'Somewhere to skate': ['parent_carer', 'wyre-forest', kidderminster.id],
			'More youth clubs': ['young_person', 'redditch', bewdley.id],
			'Quiet places': ['young_person', 'redditch', bewdley.id],
			Buses: [null, null, null],
			Parks: ['child', null, null]
		});
		// Uploaded again, the new location now exists: it is matched, not added twice.
		const again = planImport(c, sheet, mapping, hash, { maps, locations: await listLocations(db.db) });
		expect(again.newLocations).toEqual([]);
		expect(
			await commitImport(db.db, c, again, { skipBad: false, actorId: officer, filename: 'tree.csv', hash })
		).toMatchObject({ created: 0, alreadyThere: 5, locationsAdded: 0 });
	});

	it('commits a large import in short chunks, and a commit stopped part way, run again, stores the rest and doubles nothing', async () => {
		const lines = [
			'text,question,group',
			...Array.from({ length: 400 }, (_, i) => `Chunked answer number ${i},q${(i % 5) + 1},child`)
		];
		const buf = new TextEncoder().encode(lines.join('\n'));
		const { plan: p, hash } = await plan(c, 'big.csv', buf);
		expect(p.good).toBe(400);
		const chunked = () =>
			db.db
				.selectFrom('answer')
				.select((eb) => eb.fn.countAll().as('n'))
				.where('text', 'like', 'Chunked answer number%')
				.executeTakeFirstOrThrow()
				.then((r) => Number(r.n));
		let chunks = 0;
		const stop = new Error('server stopped');
		await expect(
			commitImport(db.db, c, p, {
				skipBad: false,
				actorId: officer,
				filename: 'big.csv',
				hash,
				chunkMs: 1,
				onChunk: () => {
					if (++chunks === 2) throw stop;
				}
			})
		).rejects.toBe(stop);
		const part = await chunked();
		expect(part).toBeGreaterThan(0);
		expect(part).toBeLessThan(400);
		let resumedChunks = 0;
		const result = await commitImport(db.db, c, p, {
			skipBad: false,
			actorId: officer,
			filename: 'big.csv',
			hash,
			chunkMs: 1,
			onChunk: () => void resumedChunks++
		});
		expect(result).toEqual({ created: 400 - part, alreadyThere: part, skipped: 0, locationsAdded: 0 });
		expect(resumedChunks).toBeGreaterThan(1);
		expect(await chunked()).toBe(400);
	});

	it('reads a hand-made zip workbook within the limits (the hostile-file helper writes valid zips)', async () => {
		const sheet = await parseUpload(smallHandmadeXlsx(), 'small.xlsx');
		expect(sheet).toEqual({
			format: 'xlsx',
			headers: ['text', 'question'],
			rows: [{ rowNumber: 2, cells: ['Somewhere to go', 'q1'] }]
		});
	});
});
