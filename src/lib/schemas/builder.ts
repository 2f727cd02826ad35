import { z } from 'zod';

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
