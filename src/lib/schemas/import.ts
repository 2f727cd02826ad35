import { z } from 'zod';
import { LOCATION_KINDS } from './entry';
import { checkbox } from './staff';

/** The spreadsheet import's forms: the upload, and the commit after the preview. */

/** The upload: which consultation, and the file (at most `maxBytes`). */
export const importUploadForm = (maxBytes: number) =>
	z.object({
		consultationId: z.coerce
			.number({ message: 'Choose the consultation the responses belong to' })
			.int('Choose the consultation the responses belong to')
			.positive('Choose the consultation the responses belong to'),
		file: z
			.instanceof(File, { message: 'Choose a CSV or XLSX file to upload' })
			.refine((f) => f.size > 0 && f.name !== '', { message: 'Choose a CSV or XLSX file to upload', abort: true })
			.refine((f) => f.size <= maxBytes, {
				error: (issue) =>
					`The file is ${((issue.input as File).size / 1024 / 1024).toFixed(1)} MB: the limit is ${maxBytes / 1024 / 1024} MB. Split it into smaller files.`
			})
	});

/** The commit: the held upload's token and what to do with bad rows and new places. */
export const importCommitForm = z.object({
	token: z.string().optional().default(''),
	skipBad: checkbox,
	addLocations: checkbox,
	locationKind: z.enum(LOCATION_KINDS).catch('other')
});
