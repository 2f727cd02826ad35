import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDefinition } from '../src/lib/server/consultations/definition';
import { readCodebooks } from '../src/lib/server/coding/codebooks';
import { parseDatabaseUrl } from '../src/lib/server/db/config';
import { SLUG } from './helpers/consultation';

const shipped = `db/consultations/${SLUG}.json`;

function withFile(content: string): string {
	const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'consult-def-')), 'c.json');
	fs.writeFileSync(file, content);
	return file;
}

describe('consultation definition files', () => {
	it('accepts the shipped Worcestershire file', () => {
		expect(readDefinition(shipped).definition.slug).toBe(SLUG);
	});

	it('rejects a malformed file with a message naming the bad field', () => {
		const json = JSON.parse(fs.readFileSync(shipped, 'utf8'));
		json.questions[2].text = '';
		json.districts[0].code = 'Bad Code';
		const file = withFile(JSON.stringify(json));
		expect(() => readDefinition(file)).toThrow(/questions\[2\]\.text/);
		expect(() => readDefinition(file)).toThrow(/districts\[0\]\.code/);
	});

	it('rejects text that is not JSON, naming the file', () => {
		const file = withFile('{ "slug": ');
		expect(() => readDefinition(file)).toThrow(new RegExp(`${path.basename(file)} is not valid JSON`));
	});

	it('rejects wording for a group the consultation does not have', () => {
		const json = JSON.parse(fs.readFileSync(shipped, 'utf8'));
		json.questions[0].byGroup.teacher = { text: 'Hello?' };
		expect(() => readDefinition(withFile(JSON.stringify(json)))).toThrow(/byGroup\.teacher: unknown group/);
	});

	it("refuses a codebooks folder outside the consultation file's folder, and reads one inside it", () => {
		const json = JSON.parse(fs.readFileSync(shipped, 'utf8'));
		for (const bad of ['../codebooks/x', 'codebooks/../../etc', '/etc', '..\\secrets', 'C:\\data']) {
			json.codebooks = bad;
			expect(() => readDefinition(withFile(JSON.stringify(json))), bad).toThrow(
				/codebooks: must be a folder inside the consultation file's folder/
			);
		}
		// A symbolic link inside the folder that points out of it is refused when read.
		const file = withFile(JSON.stringify({ ...json, codebooks: 'books' }));
		const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'consult-out-'));
		fs.writeFileSync(path.join(outside, 'q1.json'), '{}');
		fs.symlinkSync(outside, path.join(path.dirname(file), 'books'));
		expect(() => readCodebooks(readDefinition(file))).toThrow(/outside the consultation file's folder/);
		// The shipped file keeps its codebooks beside it and loads them.
		expect(readCodebooks(readDefinition(shipped)).size).toBe(5);
	});
});

describe('DATABASE_URL', () => {
	it('defaults to the embedded SQLite file and accepts file: and postgres:// URLs', () => {
		expect(parseDatabaseUrl(undefined, '/srv/app')).toEqual({ kind: 'sqlite', path: '/srv/app/db/consult.sqlite' });
		expect(parseDatabaseUrl('file:/tmp/x.sqlite')).toEqual({ kind: 'sqlite', path: '/tmp/x.sqlite' });
		expect(parseDatabaseUrl('postgres://u@h/db').kind).toBe('postgres');
	});

	it('refuses an unknown scheme with one clear line', () => {
		expect(() => parseDatabaseUrl('mysql://root@localhost/x')).toThrow(/unknown scheme "mysql:"/);
	});
});
