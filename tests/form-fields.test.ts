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
