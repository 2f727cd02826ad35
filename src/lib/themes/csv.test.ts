import { describe, expect, it } from 'vitest';
import { CsvError, formatThemesCsv, parseAnswersCsv, parseCodedCsv, parseThemesCsv } from './csv';

const known = new Set(['family', 'friends']);

describe('CSV reading', () => {
	it('handles quotes, embedded commas and line breaks, BOM and CRLF', () => {
		const text = '\uFEFFid,text\r\n1,"my mum, my dad"\r\n2,"she said ""no""\r\nand left"\r\n3,plain\r\n';
		expect(parseAnswersCsv(text, 'a.csv')).toEqual([
			{ id: '1', text: 'my mum, my dad' },
			{ id: '2', text: 'she said "no"\r\nand left' },
			{ id: '3', text: 'plain' }
		]);
	});
	it('accepts LF files, blank lines, extra columns and columns in any order', () => {
		const text = 'text,extra,id\nhello,x,1\n\nbye,y,2\n';
		expect(parseAnswersCsv(text, 'a.csv')).toEqual([
			{ id: '1', text: 'hello' },
			{ id: '2', text: 'bye' }
		]);
	});
	it('splits themes on ";" and treats empty or "other" as no theme', () => {
		const rows = parseCodedCsv('id,text,themes\n1,a,family; friends\n2,b,\n3,c,other\n', 'c.csv', known);
		expect(rows.map((r) => r.themes)).toEqual([['family', 'friends'], [], []]);
	});
	it('reports the file and the line a bad record starts on, even after multi-line fields', () => {
		const text = 'id,text,themes\n1,"line one\nline two\nline three",family\n2,ok,pets\n';
		expect(() => parseCodedCsv(text, 'coded.csv', known)).toThrow('coded.csv:5: unknown theme id "pets"');
		expect(() => parseAnswersCsv('id,text\n1,a\n2,b\n1,c\n', 'in.csv')).toThrow(
			'in.csv:4: duplicate id "1" (first on line 2)'
		);
		expect(() => parseAnswersCsv('id,answer\n1,a\n', 'in.csv')).toThrow(/in\.csv:1: missing column "text"/);
		expect(() => parseAnswersCsv('id,text\n1,"unterminated\n', 'in.csv')).toThrow(CsvError);
		expect(() => parseAnswersCsv('id,text\n1,a,b\n', 'in.csv')).toThrow('in.csv:2: expected 2 fields, found 3');
		expect(() => parseThemesCsv('', 'gold.csv', known)).toThrow(/gold\.csv:1: empty file/);
	});
});

describe('CSV writing', () => {
	it('quotes what needs quoting and round-trips', () => {
		const rows = [
			{ id: 'a,1', themes: ['family', 'friends'] },
			{ id: 'b "2"', themes: [] },
			{ id: 'c\n3', themes: ['family'] }
		];
		const text = formatThemesCsv(rows);
		expect(text.startsWith('id,themes\r\n"a,1",family;friends\r\n"b ""2""",\r\n')).toBe(true);
		expect(parseThemesCsv(text, 'p.csv', known)).toEqual(rows);
	});
});
