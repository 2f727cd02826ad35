import { z } from 'zod';
import { MAX_NOTE_LENGTH } from './note-length';
import { FLAG_STATUSES, type FlagStatus } from '../domain/safeguarding';

/** Admin forms: the safeguarding queue and privacy (deleting a submission on request). */

/** The queue's filter (?status=), anything else meaning "open". */
export const flagFilterSchema = z.enum(['open', 'all', ...FLAG_STATUSES] as [string, ...string[]]).catch('open');

/** A decision on a flag. */
export const flagUpdateForm = z.object({
	id: z.coerce.number({ message: 'Choose a flag' }).int().positive('Choose a flag'),
	status: z.enum(FLAG_STATUSES as [FlagStatus, ...FlagStatus[]], { message: 'Choose what happens next' }),
	note: z
		.string()
		.trim()
		.max(MAX_NOTE_LENGTH, 'The note must be 2,000 characters or fewer')
		.optional()
		.transform((v) => v || null)
});

/** Deleting one submission at the respondent's request, by the reference they were given. */
export const deleteReferenceForm = z.object({
	reference: z
		.string({ message: 'Enter the reference the respondent was given' })
		.trim()
		.min(1, 'Enter the reference the respondent was given')
		.max(20, 'That is not a reference'),
	confirm: z.literal('yes', { message: 'Tick the box to confirm the submission should be deleted' })
});
