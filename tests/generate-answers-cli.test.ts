/**
 * The generator's command line: `--help` prints the usage and leaves every database alone; an option it does not
 * know is a usage mistake (`error: …` on stderr, exit 2), also before any database is opened.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidy-generate-cli-'));
const dbFile = path.join(dir, 'would-be-filled.sqlite');

function generate(...args: string[]) {
	const r = spawnSync(tsx, ['scripts/generate-answers.ts', ...args], {
		cwd: root,
		encoding: 'utf8',
		timeout: 60_000,
		env: { ...process.env, DATABASE_URL: `file:${dbFile}` }
	});
	return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('generate:answers command line', () => {
	it('--help prints the usage, exits 0 and creates no database', () => {
		for (const flag of ['--help', '-h']) {
			const r = generate(flag);
			expect(r.code, r.stderr).toBe(0);
			expect(r.stdout).toMatch(/^usage: npm run generate:answers -- \[--answers N\] \[--seed N\]/);
			expect(r.stdout).not.toMatch(/answers…|Generated/);
			expect(fs.existsSync(dbFile)).toBe(false);
		}
	});

	it('an unknown option or a bad number: "error: …" on stderr, exit 2, no database', () => {
		const cases: [string[], RegExp][] = [
			[['--answerz', '10'], /^error: .*--answerz/],
			[['--answers', '0'], /^error: --answers needs a positive whole number/],
			[['--seed', '1.5'], /^error: --seed needs a positive whole number/],
			[['extra'], /^error: .*extra/]
		];
		for (const [args, message] of cases) {
			const r = generate(...args);
			expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
			expect(r.stderr).toMatch(message);
			expect(r.stderr).toMatch(/^usage: /m);
			expect(r.stdout).toBe('');
			expect(fs.existsSync(dbFile)).toBe(false);
		}
	});
});
