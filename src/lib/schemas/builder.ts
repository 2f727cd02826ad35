import { z } from 'zod';
import { draftFromForm } from '../domain/consultation-form';

/** The web address name of a consultation, as the consultation file's `slug`. */
const slug = z
	.string({ message: 'Enter a web address name' })
	.trim()
	.min(1, 'Enter a web address name')
	.max(80, 'Web address name must be 80 characters or fewer')
	.regex(
		/^[a-z0-9][a-z0-9_-]*$/,
		'Web address name must be lower-case letters, digits, "-" or "_", like youth-club-2027'
	);
const title = z
	.string({ message: 'Enter a title' })
	.trim()
	.min(1, 'Enter a title')
	.max(200, 'Title must be 200 characters or fewer');

/** "Create a consultation": from scratch or from a template. */
export const newConsultationForm = z.object({
	title,
	slug,
	organisation: z.string({ message: 'Enter the organisation' }).trim().min(1, 'Enter the organisation').max(200),
	template: z.string().trim().default('')
});

/** "Duplicate": a new draft copy of an existing consultation. */
export const duplicateForm = z.object({
	from: z.string({ message: 'Choose a consultation to copy' }).trim().min(1, 'Choose a consultation to copy'),
	copyTitle: title,
	copySlug: slug
});

/** "Import a consultation file". */
export const importForm = z.object({
	file: z
		.instanceof(File, { message: 'Choose a consultation file' })
		.refine((f) => f.size > 0, 'Choose a consultation file')
		.refine((f) => f.size <= 1_000_000, 'The file must be smaller than 1 MB')
});

/** Moving a consultation along draft → open → closed → archived. */
export const lifecycleForm = z.object({
	to: z.enum(['open', 'closed', 'archived'], { message: 'Choose what to do with the consultation' })
});

/** "Import a codebook" for one question: the JSON file the CLI reads. */
export const codebookImportForm = z.object({
	question: z.string({ message: 'Choose a question' }).trim().min(1, 'Choose a question'),
	codebook: z
		.instanceof(File, { message: 'Choose a codebook file' })
		.refine((f) => f.size > 0, 'Choose a codebook file')
		.refine((f) => f.size <= 2_000_000, 'The codebook file must be smaller than 2 MB')
});

/**
 * The builder editor's one form (save, and the add / paste / remove buttons that
 * reshape it): its flat fields (title, groups-0-code, questions-1-byGroup-child-text …,
 * counted by groupCount and questionCount) as the page's draft. It refuses nothing:
 * a half-filled row is a draft; what is saved is checked by consultationFileSchema,
 * the schema of the consultation file (`checkedDefinition` in server/consultations/builder.ts).
 */
export const editorForm = z
	.looseObject({
		aboutAsked: z.array(z.string()).default([]),
		pasteGroups: z.string().default(''),
		remove: z.string().default('')
	})
	.transform((v) => ({
		draft: draftFromForm(v as Record<string, string | string[] | undefined>),
		pasteGroups: v.pasteGroups,
		remove: v.remove
	}));

/** The translations page's form: one optional text a field this consultation has (empty: shown in English). */
export function translationForm(fields: { id: string; label: string }[]) {
	return z.object(
		Object.fromEntries(
			fields.map((f) => [f.id, z.string().trim().max(5000, `${f.label} must be 5,000 characters or fewer`).default('')])
		)
	);
}
