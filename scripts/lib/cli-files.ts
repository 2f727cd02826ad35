import fs from 'node:fs';
import path from 'node:path';

/**
 * File input and output for the command-line tools that read and write CSV (themes, safeguarding).
 * A problem with a file is an `InputError` whose message is `FILE:LINE: problem` (line 0 when the
 * problem is the file itself, not a line of it); the tools print it as `error: …` and exit 2.
 */
export class InputError extends Error {}

/** The whole file as UTF-8 text; a missing or unreadable file is an InputError naming it. */
export function readText(file: string): string {
	try {
		return fs.readFileSync(file, 'utf8');
	} catch (e) {
		const code = (e as NodeJS.ErrnoException).code;
		throw new InputError(
			`${file}:0: cannot read file (${code === 'ENOENT' ? 'no such file' : (code ?? (e as Error).message)})`
		);
	}
}

/**
 * Write `content` to `file` all at once: to a temporary file in the same folder, then renamed, so
 * that a failed run leaves no output file (and no half-written one).
 */
export function writeAtomically(file: string, content: string): void {
	const dir = path.dirname(path.resolve(file));
	if (!fs.existsSync(dir)) throw new InputError(`${file}:0: output folder ${dir} does not exist`);
	const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
	try {
		fs.writeFileSync(tmp, content, 'utf8');
		fs.renameSync(tmp, file);
	} catch (e) {
		fs.rmSync(tmp, { force: true });
		throw new InputError(`${file}:0: cannot write file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
	}
}
