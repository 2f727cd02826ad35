import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Issue #17: every form control is rendered by src/lib/components/forms/Field.svelte (label, hint, error,
 * aria-describedby, aria-invalid in one place). A source scan: any other .svelte file that writes its own
 * `<input`, `<select` or `<textarea` fails, except hidden inputs and the survey's honeypot (which must have no
 * label a person can see, and no Field furniture a screen reader would read out).
 */
const FIELD = path.normalize('src/lib/components/forms/Field.svelte');
const HONEYPOT = /^<input\b[^>]*\bid="hp-website"/;

function svelteFiles(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
		const p = path.join(dir, e.name);
		return e.isDirectory() ? svelteFiles(p) : e.name.endsWith('.svelte') ? [p] : [];
	});
}

/** Every opening tag of a form control in `source` (a tag may span several lines), with its line number. */
export function formControls(source: string): { line: number; tag: string }[] {
	const found: { line: number; tag: string }[] = [];
	for (const match of source.matchAll(/<(input|select|textarea)\b[^>]*>/g)) {
		const tag = match[0].replace(/\s+/g, ' ');
		if (/^<input\b/.test(tag) && /\btype="hidden"/.test(tag)) continue;
		if (HONEYPOT.test(tag)) continue;
		found.push({ line: source.slice(0, match.index).split('\n').length, tag });
	}
	return found;
}

describe('form controls', () => {
	it('finds a control outside Field, and lets hidden inputs and the honeypot be', () => {
		const found = formControls(
			'<input type="hidden" name="a" value="1" />\n<input type="text" id="hp-website" name="website" />\n' +
				'<select\n\tid="x"\n\tname="x"\n>\n<textarea id="t"></textarea>\n<input type="checkbox" id="c" />'
		);
		expect(found.map((f) => f.line)).toEqual([3, 7, 8]);
	});

	it('are all rendered by forms/Field.svelte', () => {
		const strays = svelteFiles('src')
			.filter((f) => path.normalize(f) !== FIELD)
			.flatMap((f) => formControls(fs.readFileSync(f, 'utf8')).map((c) => `${f}:${c.line} ${c.tag.slice(0, 80)}`));
		expect(strays).toEqual([]);
	});
});

/** The modules `file` imports for their values (not `import type`), followed through relative imports. */
function valueImports(file: string, seen = new Set<string>()): Set<string> {
	for (const m of fs.readFileSync(file, 'utf8').matchAll(/^import\s+(?!type\b)[^'"]*?from\s+'([^']+)'/gm)) {
		const spec = m[1];
		if (!spec.startsWith('.')) {
			seen.add(spec);
			continue;
		}
		const base = path.resolve(path.dirname(file), spec);
		const found = [base, `${base}.ts`, `${base}.js`, path.join(base, 'index.ts')].find(
			(f) => fs.existsSync(f) && fs.statSync(f).isFile()
		);
		if (!found || seen.has(found)) continue;
		seen.add(found);
		valueImports(found, seen);
	}
	return seen;
}

describe('the consultation editor form', () => {
	it('takes the answer length rule from schemas/answer-length, without zod or the API schema and its messages', () => {
		const reached = [...valueImports(path.resolve('src/lib/domain/consultation-form.ts'))];
		expect(reached).toContain(path.resolve('src/lib/schemas/answer-length.ts'));
		expect(reached).not.toContain(path.resolve('src/lib/schemas/answer.ts'));
		expect(reached).not.toContain('zod');
	});
});
