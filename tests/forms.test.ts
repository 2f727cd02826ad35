import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseForm, formFailure } from '../src/lib/server/forms';

const schema = z.object({
	name: z.string().trim().min(1, 'Enter a name').max(10, 'The name must be 10 characters or fewer'),
	count: z.coerce
		.number({ message: 'Enter a number' })
		.int('Enter a whole number')
		.min(1, 'Enter a number of 1 or more'),
	groups: z.array(z.enum(['a', 'b'], { message: 'Choose a listed group' })).min(1, 'Choose at least one group'),
	note: z
		.string()
		.optional()
		.transform((v) => v || null)
});

const post = (pairs: [string, string | Blob][]) => {
	const body = new FormData();
	for (const [k, v] of pairs) body.append(k, v);
	return new Request('http://localhost/x', { method: 'POST', body });
};

describe('parseForm', () => {
	it('gives the data, with repeated fields as lists and a single tick as a list of one', async () => {
		const parsed = await parseForm(
			schema,
			post([
				['name', ' Ann '],
				['count', '3'],
				['groups', 'b']
			])
		);
		expect(parsed.ok).toBe(true);
		if (!parsed.ok) return;
		expect(parsed.data).toEqual({ name: 'Ann', count: 3, groups: ['b'], note: null });
		const two = await parseForm(
			schema,
			post([
				['name', 'Ann'],
				['count', '3'],
				['groups', 'a'],
				['groups', 'b']
			])
		);
		expect(two.ok && two.data.groups).toEqual(['a', 'b']);
	});

	it("fails with 400, one message per field in the schema's words, and the values as sent", async () => {
		const parsed = await parseForm(
			schema,
			post([
				['name', 'a very long name'],
				['count', 'x']
			])
		);
		expect(parsed.ok).toBe(false);
		if (parsed.ok) return;
		expect(parsed.failure.status).toBe(400);
		expect(parsed.failure.data.errors).toEqual({
			name: 'The name must be 10 characters or fewer',
			count: 'Enter a number',
			groups: 'Choose at least one group'
		});
		expect(parsed.failure.data.values).toEqual({ name: 'a very long name', count: 'x' });
	});

	it('keeps the first message of a field and adds what the action passes along', async () => {
		const parsed = await parseForm(
			schema,
			post([
				['name', ''],
				['count', '0.5'],
				['groups', 'z'],
				['groups', 'a']
			]),
			{ row: 7 }
		);
		expect(parsed.ok).toBe(false);
		if (parsed.ok) return;
		expect(parsed.errors).toEqual({
			name: 'Enter a name',
			count: 'Enter a whole number',
			groups: 'Choose a listed group'
		});
		expect(parsed.failure.data).toMatchObject({ row: 7, values: { groups: ['z', 'a'] } });
	});

	it('leaves files out of the values shown again, but passes them to the schema', async () => {
		const withFile = z.object({ file: z.instanceof(File, { message: 'Choose a file' }), title: z.string() });
		const parsed = await parseForm(
			withFile,
			post([
				['file', new File(['abc'], 'a.csv')],
				['title', 'T']
			])
		);
		expect(parsed.ok).toBe(true);
		expect(parsed.values).toEqual({ title: 'T' });
		const missing = await parseForm(withFile, post([['title', 'T']]));
		expect(!missing.ok && missing.errors).toEqual({ file: 'Choose a file' });
	});

	it('names a whole-form problem "form"', async () => {
		const pair = z
			.object({ a: z.string(), b: z.string() })
			.refine((v) => v.a === v.b, { message: 'The two passwords must match' });
		const parsed = await parseForm(
			pair,
			post([
				['a', 'x'],
				['b', 'y']
			])
		);
		expect(!parsed.ok && parsed.errors).toEqual({ form: 'The two passwords must match' });
	});

	it('formFailure has the same shape for a refusal found after parsing', () => {
		const f = formFailure({ name: 'Ann' }, { name: 'That name is taken' }, { id: 2 }, 409);
		expect(f.status).toBe(409);
		expect(f.data).toEqual({ values: { name: 'Ann' }, errors: { name: 'That name is taken' }, id: 2 });
		// What the action adds never replaces the values and errors.
		expect(formFailure({}, { a: 'x' }, { errors: 'no' } as object).data.errors).toEqual({ a: 'x' });
	});
});
