import type { z } from 'zod';

/** What a form sent, as text, to put back in its fields when it is shown again (files and passwords left out). */
export type FormValues = Record<string, string | string[]>;
/** One GOV.UK-style message per field, keyed by the field's name (which is also its id on the page). */
export type FormErrors = Record<string, string>;

/** The field a zod issue is about: its top-level name ("note", "groups"), or "form" when it is about the whole form. */
export function fieldOf(issue: z.core.$ZodIssue): string {
	const first = issue.path[0];
	return first === undefined ? 'form' : String(first);
}

/** zod issues as one message per field (the first issue of each field wins, in the schema's order). */
export function formErrors(error: z.ZodError): FormErrors {
	const out: FormErrors = {};
	for (const issue of error.issues) out[fieldOf(issue)] ??= issue.message;
	return out;
}

type Def = { type?: string; innerType?: z.ZodType; in?: z.ZodType; out?: z.ZodType; shape?: Record<string, z.ZodType> };
const defOf = (s: z.ZodType | undefined): Def => ((s as unknown as { _zod?: { def?: Def } })?._zod?.def ?? {}) as Def;

/** The object schema under wrappers (pipe, transform, refine, optional, default...), or null. */
function objectShape(schema: z.ZodType): Record<string, z.ZodType> | null {
	let s: z.ZodType | undefined = schema;
	for (let i = 0; i < 10 && s; i++) {
		const def = defOf(s);
		if (def.type === 'object') return (s as unknown as { shape: Record<string, z.ZodType> }).shape;
		s = def.type === 'pipe' ? def.in : def.innerType;
	}
	return null;
}

/** True when a field's schema is a list (a group of checkboxes, a multiple select): read with getAll. */
function isList(schema: z.ZodType): boolean {
	let s: z.ZodType | undefined = schema;
	for (let i = 0; i < 10 && s; i++) {
		const def = defOf(s);
		if (def.type === 'array') return true;
		s = def.type === 'pipe' ? def.in : def.innerType;
	}
	return false;
}

/**
 * FormData as the object a schema parses: one value per field, a list for
 * fields the schema declares as arrays, files kept as File; and the same as
 * text for showing the form again.
 */
export function readFormData(
	form: FormData,
	schema: z.ZodType
): { input: Record<string, unknown>; values: FormValues } {
	const shape = objectShape(schema) ?? {};
	const input: Record<string, unknown> = {};
	const values: FormValues = {};
	for (const key of new Set(form.keys())) {
		const all = form.getAll(key);
		const list = shape[key] ? isList(shape[key]) : false;
		input[key] = list ? all : all[0];
		const text = all.filter((v): v is string => typeof v === 'string');
		// A password is never sent back to the page.
		if (text.length && !/password/i.test(key)) values[key] = list ? text : text[0];
	}
	// A list field with nothing ticked is sent as nothing at all: it is an empty list.
	for (const [key, s] of Object.entries(shape)) if (!(key in input) && isList(s)) input[key] = [];
	return { input, values };
}
