import { fail, type ActionFailure } from '@sveltejs/kit';
import type { z } from 'zod';
import { formErrors, readFormData, type FormErrors, type FormValues } from '../schemas/form';

export type { FormErrors, FormValues };

/** What a form action returns when its form is shown again with messages. */
export interface FormFailure {
	values: FormValues;
	errors: FormErrors;
}

export type ParsedForm<T, E extends object = object> =
	| { ok: true; data: T; values: FormValues; form: FormData }
	| { ok: false; failure: ActionFailure<FormFailure & E>; values: FormValues; errors: FormErrors; form: FormData };

/**
 * The one way a form action reads its form: parses the posted FormData with
 * the schema and gives either the data, or `fail(400, { values, errors })`
 * ready to return, with one GOV.UK-style message per field (the schema's own
 * wording) and what was typed, so the page shows it again (never a password
 * or a file). `extra` is added to the failure (say, which row of a list the
 * form belongs to).
 *
 *     const parsed = await parseForm(schema, event.request);
 *     if (!parsed.ok) return parsed.failure;
 */
export async function parseForm<S extends z.ZodType, E extends object = object>(
	schema: S,
	request: Request | FormData,
	extra?: E
): Promise<ParsedForm<z.output<S>, E>> {
	const form = request instanceof FormData ? request : await request.formData();
	const { input, values } = readFormData(form, schema);
	const result = await schema.safeParseAsync(input);
	if (result.success) return { ok: true, data: result.data, values, form };
	const errors = formErrors(result.error);
	return { ok: false, failure: formFailure(values, errors, extra), values, errors, form };
}

/** A failure found after parsing (the domain refused it): the same shape as parseForm's. */
export function formFailure<E extends object = object>(
	values: FormValues,
	errors: FormErrors,
	extra?: E,
	status = 400
): ActionFailure<FormFailure & E> {
	return fail(status, { ...(extra as E), values, errors });
}
