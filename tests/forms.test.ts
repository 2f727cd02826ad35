import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseForm, formFailure } from '../src/lib/server/forms';
import { editorForm } from '../src/lib/schemas/builder';
import { checkedDefinition } from '../src/lib/server/consultations/builder';
import { definitionInput } from '../src/lib/domain/consultation-form';

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

describe("the builder editor's form", () => {
	it('reads the flat rows and the ticked "About you" boxes as a draft, and names a schema problem by its field', async () => {
		const parsed = await parseForm(
			editorForm,
			post([
				['groupCount', '1'],
				['questionCount', '2'],
				['slug', 'play'],
				['title', ' Play '],
				['organisation', 'Anyshire Council'],
				['description', 'About play'],
				['privacyNotice', 'Anonymous.'],
				['groups-0-code', 'child'],
				['groups-0-label', 'Child'],
				['questions-0-key', 'q1'],
				['questions-0-text', 'Where?'],
				['questions-0-easyRead', 'Where?'],
				['questions-0-maxLength', '2000'],
				['questions-1-key', 'q2'],
				['questions-1-text', 'Why?'],
				['questions-1-easyRead', 'Why?'],
				['questions-1-maxLength', 'twenty'],
				['questions-1-required', 'yes'],
				['aboutAsked', 'gender'],
				['aboutAsked', 'ethnicity']
			])
		);
		if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
		const { draft } = parsed.data;
		expect(draft.title).toBe('Play');
		expect(draft.groups).toEqual([{ code: 'child', label: 'Child', easyReadLabel: '', hidden: false }]);
		expect(draft.questions.map((q) => [q.key, q.required])).toEqual([
			['q1', false],
			['q2', true]
		]);
		expect(draft.aboutAsked).toEqual(['gender', 'ethnicity']);
		// What is typed is kept to show again, both boxes included.
		expect(parsed.values.aboutAsked).toEqual(['gender', 'ethnicity']);
		const checked = checkedDefinition(definitionInput(draft, {}));
		expect(checked.ok).toBe(false);
		if (checked.ok) return;
		expect(checked.errors).toEqual({
			'questions-1-maxLength': 'Enter the character limit of question 2 as a whole number from 1 to 2,000'
		});
		const fixed = { ...draft, questions: draft.questions.map((q) => ({ ...q, maxLength: '20' })) };
		const saved = checkedDefinition(definitionInput(fixed, {}));
		expect(saved.ok && saved.definition.questions[1]).toMatchObject({ key: 'q2', maxLength: 20, required: true });
		expect(saved.ok && saved.definition.about).toEqual({ asked: ['gender', 'ethnicity'] });
	});
});
