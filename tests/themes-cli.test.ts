import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');
const fx = 'tests/fixtures/themes';
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

function themes(...args: string[]) {
	const r = spawnSync(tsx, ['scripts/themes.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
	return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'themes-cli-'));

describe('themes CLI', () => {
	it('code: writes PREDICTED.csv (id,themes) using the codebook and coded answers', () => {
		const out = path.join(tmp(), 'predicted.csv');
		const r = themes(
			'code',
			'--codebook',
			`${fx}/codebook.json`,
			'--train',
			`${fx}/coded.csv`,
			'--in',
			`${fx}/answers.csv`,
			'--out',
			out
		);
		expect(r.code, r.stderr).toBe(0);
		const lines = fs.readFileSync(out, 'utf8').trimEnd().split('\r\n');
		expect(lines[0]).toBe('id,themes');
		const byId = Object.fromEntries(lines.slice(1).map((l) => l.split(',')));
		expect(byId.a1).toBe('family');
		expect(byId.a2).toBe('transport'); // quoted, multi-line answer; learned from the coded answers
		expect(byId.a3).toBe('friends'); // "my frends"
		expect(byId.a4).toBe(''); // "I don't have a pet": other
		expect(byId.a7.split(';').sort()).toEqual(['family', 'pets']);
	});

	it('code without --train uses the codebook alone', () => {
		const out = path.join(tmp(), 'predicted.csv');
		const r = themes('code', '--codebook', `${fx}/codebook.json`, '--in', `${fx}/answers.csv`, '--out', out);
		expect(r.code, r.stderr).toBe(0);
		expect(fs.readFileSync(out, 'utf8')).toContain('a5,activities');
	});

	it('eval: prints a per-theme table and ends with the microF1/macroF1 line', () => {
		const r = themes(
			'eval',
			'--codebook',
			`${fx}/codebook.json`,
			'--train',
			`${fx}/coded.csv`,
			'--test',
			`${fx}/answers.csv`,
			'--gold',
			`${fx}/gold.csv`
		);
		expect(r.code, r.stderr).toBe(0);
		const lines = r.stdout.trimEnd().split('\n');
		expect(lines.at(-1)).toMatch(/^microF1=\d\.\d{3} macroF1=\d\.\d{3}$/);
		expect(r.stdout).toMatch(/precision/);
		expect(r.stdout).toMatch(/^transport\s+1\s+/m);
		expect(Number(/microF1=(\S+)/.exec(lines.at(-1)!)![1])).toBeGreaterThan(0.8);
	});

	it('discover: prints candidate themes with sizes and examples', () => {
		const r = themes('discover', '--in', `${fx}/discover.csv`, '--codebook', `${fx}/codebook.json`);
		expect(r.code, r.stderr).toBe(0);
		expect(r.stdout).toMatch(/Skate park \[skate-park\] — 4 answers/);
		expect(r.stdout).toMatch(/e\.g\. ".*skate park.*"/);
		expect(r.stdout).not.toMatch(/nothing to do/);
	});

	it('bad files: exit 2, message naming file and line, no output written', () => {
		const dir = tmp();
		const out = path.join(dir, 'predicted.csv');
		const cases: [string[], RegExp][] = [
			[
				['--train', `${fx}/coded-unknown-theme.csv`, '--in', `${fx}/answers.csv`],
				/coded-unknown-theme\.csv:4: unknown theme id "buses"/
			],
			[['--in', `${fx}/answers-duplicate-id.csv`], /answers-duplicate-id\.csv:4: duplicate id "a1"/],
			[['--in', `${fx}/no-such-file.csv`], /no-such-file\.csv:0: cannot read file \(no such file\)/]
		]; // (missing columns, bad field counts etc. are covered in src/lib/themes/csv.test.ts)
		for (const [args, message] of cases) {
			const r = themes('code', '--codebook', `${fx}/codebook.json`, ...args, '--out', out);
			expect(r.code).toBe(2);
			expect(r.stderr).toMatch(message);
			expect(fs.existsSync(out)).toBe(false);
		}
		const bad = themes('code', '--codebook', `${fx}/codebook-invalid.json`, '--in', `${fx}/answers.csv`, '--out', out);
		expect(bad.code).toBe(2);
		expect(bad.stderr).toMatch(/codebook-invalid\.json:4: invalid codebook: themes\[1\]\.id/);
		const json = themes(
			'code',
			'--codebook',
			`${fx}/codebook-bad-json.json`,
			'--in',
			`${fx}/answers.csv`,
			'--out',
			out
		);
		expect(json.code).toBe(2);
		expect(json.stderr).toMatch(/codebook-bad-json\.json:4: bad JSON/);
		expect(fs.readdirSync(dir)).toEqual([]);
	});

	it('usage errors: exit 2 with a usage line', () => {
		for (const args of [['frobnicate'], ['eval', '--codebook', 'c.json', '--bogus', '1']]) {
			const r = themes(...args);
			expect(r.code).toBe(2);
			expect(r.stderr).toMatch(/usage: themes code/);
		}
	});
});
