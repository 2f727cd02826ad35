import { z } from 'zod';

/** One theme of a question's codebook. */
export interface Theme {
	id: string;
	label: string;
	description?: string;
	keywords?: string[];
	parent?: string;
}

export interface Codebook {
	themes: Theme[];
}

const themeId = z
	.string()
	.min(1, 'theme id is empty')
	.max(100)
	.regex(
		/^[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?$/,
		'theme id must be letters, digits, "-", "_" or "." (short kebab-case preferred), no spaces or ";"'
	);

export const themeSchema = z.object({
	id: themeId,
	label: z.string().trim().min(1, 'label is empty'),
	description: z
		.string()
		.nullish()
		.transform((d) => d || undefined),
	// blank keywords are dropped rather than rejected (officers edit these lists in the app)
	keywords: z
		.array(z.string())
		.optional()
		.transform((k) => k?.map((w) => w.trim()).filter(Boolean)),
	parent: themeId.optional()
});

export const codebookSchema = z
	.object({ themes: z.array(themeSchema).min(1, 'codebook has no themes') })
	.superRefine((cb, ctx) => {
		const seen = new Set<string>();
		cb.themes.forEach((t, i) => {
			if (t.id === 'other')
				ctx.addIssue({
					code: 'custom',
					path: ['themes', i, 'id'],
					message: '"other" is reserved for answers with no theme'
				});
			if (seen.has(t.id))
				ctx.addIssue({ code: 'custom', path: ['themes', i, 'id'], message: `duplicate theme id "${t.id}"` });
			seen.add(t.id);
		});
		cb.themes.forEach((t, i) => {
			if (t.parent !== undefined && !seen.has(t.parent))
				ctx.addIssue({ code: 'custom', path: ['themes', i, 'parent'], message: `unknown parent theme "${t.parent}"` });
		});
	});

export class CodebookError extends Error {
	constructor(
		message: string,
		readonly issues: { path: string; message: string }[] = []
	) {
		super(message);
		this.name = 'CodebookError';
	}
}

/**
 * Validate a codebook (parsed JSON value or JSON text). Throws CodebookError listing every
 * problem with its JSON path (e.g. `themes[3].id: theme id must be short kebab-case`).
 */
export function parseCodebook(input: unknown): Codebook {
	let value = input;
	if (typeof input === 'string') {
		try {
			value = JSON.parse(input.replace(/^\uFEFF/, ''));
		} catch (e) {
			throw new CodebookError(`bad JSON: ${(e as Error).message}`);
		}
	}
	const result = codebookSchema.safeParse(value);
	if (!result.success) {
		const issues = result.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
		throw new CodebookError(issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; '), issues);
	}
	return result.data as Codebook;
}

function formatPath(p: PropertyKey[]): string {
	let s = '';
	for (const k of p) s += typeof k === 'number' ? `[${k}]` : s ? `.${String(k)}` : String(k);
	return s;
}
