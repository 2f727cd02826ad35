import { z } from 'zod';
import { MAX_NOTE_LENGTH } from './note-length';

/** "This worries me": the one form every screen that shows an answer uses to raise a concern. */
export const concernSchema = z.object({
	answerId: z.coerce
		.number({ message: 'Choose the answer that worries you' })
		.int('Choose the answer that worries you')
		.positive('Choose the answer that worries you'),
	level: z.enum(['urgent', 'review'], { message: 'Choose how urgent this is' }),
	note: z
		.string()
		.trim()
		.max(MAX_NOTE_LENGTH, 'The note must be 2,000 characters or fewer')
		.optional()
		.transform((v) => v || null),
	via: z.enum(['review', 'reading', 'entry', 'queue'])
});

export type ConcernInput = z.infer<typeof concernSchema>;

/** The posted form: `via` is set by the screen, not the form (a field of that name is ignored). */
export const concernForm = (via: ConcernInput['via']) =>
	concernSchema.omit({ via: true }).transform((d): ConcernInput => ({ ...d, via }));
