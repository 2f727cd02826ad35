import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');

/** Exactly the documented command: npm run --silent safeguarding -- ARGS */
function safeguarding(...args: string[]) {
	const r = spawnSync('npm', ['run', '--silent', 'safeguarding', '--', ...args], {
		cwd: root,
		encoding: 'utf8',
		timeout: 120_000
	});
	return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
// Each run starts tsx (seconds on the shared machine), hence the long per-test timeouts.
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'safeguarding-cli-'));

function readFlags(file: string): string[][] {
	return Papa.parse<string[]>(fs.readFileSync(file, 'utf8').trimEnd(), { header: false }).data;
}

describe('safeguarding screen CLI', () => {
	it('writes id,level,score,categories for every input row, in input order', () => {
		const dir = tmp();
		const input = path.join(dir, 'answers.csv');
		// BOM, CRLF, quoted fields with commas, quotes and a line break, an empty answer.
		fs.writeFileSync(
			input,
			'\uFEFFid,text\r\n' +
				'a1,More buses to Worcester please\r\n' +
				'a2,"i want to kill myself, i cant do this anymore"\r\n' +
				'a3,"the park is ok.\nalso my stepdad hits me and my mum says ""dont tell"""\r\n' +
				'a4,\r\n' +
				'a5,i used to get bullied at my old school\r\n'
		);
		const out = path.join(dir, 'flags.csv');
		const r = safeguarding('screen', '--in', input, '--out', out);
		expect(r.code, r.stderr).toBe(0);
		const rows = readFlags(out);
		expect(rows[0]).toEqual(['id', 'level', 'score', 'categories']);
		expect(rows.slice(1).map((x) => x[0])).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
		const byId = Object.fromEntries(rows.slice(1).map((x) => [x[0], x]));
		expect(byId.a1[1]).toBe('');
		expect(byId.a1[3]).toBe('');
		expect(byId.a2[1]).toBe('urgent');
		expect(byId.a2[3].split(';')).toContain('self-harm-suicide');
		expect(byId.a3[1]).toBe('urgent');
		expect(byId.a3[3].split(';').length).toBeGreaterThanOrEqual(2); // several categories, joined by ';'
		expect(byId.a4[1]).toBe('');
		expect(byId.a5[1]).toBe('review');
		for (const row of rows.slice(1)) {
			const score = Number(row[2]);
			expect(row[2]).toMatch(/^\d(\.\d+)?$/);
			expect(score).toBeGreaterThanOrEqual(0);
			expect(score).toBeLessThanOrEqual(1);
		}
		// The score orders the reading list: urgent above review above unflagged.
		expect(Number(byId.a2[2])).toBeGreaterThan(Number(byId.a5[2]));
		expect(Number(byId.a5[2])).toBeGreaterThan(Number(byId.a1[2]));
		expect(fs.readdirSync(dir).sort()).toEqual(['answers.csv', 'flags.csv']); // no temporary file left behind
	}, 300_000);

	it('bad input: "error: FILE:LINE: problem" on stderr, exit 2, no output file', () => {
		const dir = tmp();
		const cases: [string, string, RegExp][] = [
			['dup.csv', 'id,text\n1,hello\n2,there\n1,again\n', /^error: .*dup\.csv:4: duplicate id "1"/m],
			['nocol.csv', 'id,answer\n1,hello\n', /^error: .*nocol\.csv:1: missing column "text"/m],
			['fields.csv', 'id,text\n1,hello\n2,"a","b"\n', /^error: .*fields\.csv:3: expected 2 fields, found 3/m],
			['quote.csv', 'id,text\n1,hello\n2,"never closed\n', /^error: .*quote\.csv:3: /m],
			['empty.csv', '', /^error: .*empty\.csv:1: empty file/m],
			['noid.csv', 'id,text\n,hello\n', /^error: .*noid\.csv:2: empty id/m]
		];
		for (const [name, content, message] of cases) {
			const input = path.join(dir, name);
			fs.writeFileSync(input, content);
			const out = path.join(dir, `${name}.flags.csv`);
			const r = safeguarding('screen', '--in', input, '--out', out);
			expect(r.code, name).toBe(2);
			expect(r.stderr, name).toMatch(message);
			expect(fs.existsSync(out), name).toBe(false);
		}
		const missing = safeguarding('screen', '--in', path.join(dir, 'nope.csv'), '--out', path.join(dir, 'x.csv'));
		expect(missing.code).toBe(2);
		expect(missing.stderr).toMatch(/^error: .*nope\.csv:\d+: cannot read file \(no such file\)/m);
		expect(fs.existsSync(path.join(dir, 'x.csv'))).toBe(false);
		// Only the inputs remain: nothing half-written.
		expect(fs.readdirSync(dir).every((f) => f.endsWith('.csv') && !f.includes('flags'))).toBe(true);
	}, 600_000);

	it('a bad input leaves an existing output file untouched', () => {
		const dir = tmp();
		const out = path.join(dir, 'flags.csv');
		fs.writeFileSync(out, 'previous run\n');
		fs.writeFileSync(path.join(dir, 'bad.csv'), 'id,text\n1,a\n1,b\n');
		const r = safeguarding('screen', '--in', path.join(dir, 'bad.csv'), '--out', out);
		expect(r.code).toBe(2);
		expect(fs.readFileSync(out, 'utf8')).toBe('previous run\n');
	}, 300_000);

	it('usage mistakes exit 2 with the usage line', () => {
		for (const args of [
			[],
			['screen', '--in', 'a.csv'],
			['screen', '--out', 'b.csv'],
			['scan', '--in', 'a', '--out', 'b'],
			['screen', '--in', 'a', '--out', 'b', '--x']
		]) {
			const r = safeguarding(...args);
			expect(r.code, args.join(' ')).toBe(2);
			expect(r.stderr).toMatch(/usage: safeguarding screen --in ANSWERS\.csv --out FLAGS\.csv/);
		}
	}, 600_000);
});
