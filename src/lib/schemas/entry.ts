import { z } from 'zod';
import { FACE_TO_FACE_CHANNELS } from '../domain/channels';
import { MAX_NOTE_LENGTH } from './note-length';
import { cleanedText } from './text';

/**
 * Face-to-face entry: locations, collection sessions, the leaves a device
 * sends (entry sync and the entry form) and the sync body. The length of a
 * leaf's words is checked against its session with the one answer rule
 * (schemas/answer-length.ts) in server/entry/entries.ts.
 */

export const LOCATION_KINDS = ['library', 'school', 'community', 'event', 'other'] as const;

export const locationSchema = z.object({
	name: z
		.string({ message: 'Enter the name of the location' })
		.trim()
		.min(1, 'Enter the name of the location')
		.max(200, 'The name must be 200 characters or fewer'),
	district: z
		.string()
		.trim()
		.max(64, 'Choose a district from the list')
		.optional()
		.default('')
		.transform((v) => v || null),
	kind: z.enum(LOCATION_KINDS, { message: 'Choose what kind of place it is' })
});
export type LocationInput = z.infer<typeof locationSchema>;

/** Several locations pasted at once: the list is read line by line in entry/locations-bulk.ts. */
export const locationListForm = z.object({
	locations: z
		.string()
		.optional()
		.default('')
		.transform((v) => v.slice(0, 100_000)),
	bulkKind: z.enum(LOCATION_KINDS, { message: 'Choose what kind of places they are' })
});

export const ENTRY_CHANNELS = FACE_TO_FACE_CHANNELS;
/** The form's value for "not known" (stored as null). */
export const NOT_KNOWN = '';
/** The form's value for "all five questions" (stored as null). */
export const ALL_QUESTIONS = 'all';

export const newSessionSchema = z.object({
	consultationId: z.coerce.number({ message: 'Choose a consultation' }).int().positive('Choose a consultation'),
	locationId: z.coerce.number({ message: 'Choose a location' }).int().positive('Choose a location'),
	date: z
		.string({ message: 'Enter the date' })
		.trim()
		.regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter the date as year-month-day, for example 2017-06-05')
		.refine(
			(v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
			'Enter a real date'
		),
	channel: z.enum(ENTRY_CHANNELS, { message: 'Choose how the responses were collected' }),
	question: z.string({ message: 'Choose the question being asked' }).trim().min(1, 'Choose the question being asked'),
	group: z.string().trim().max(64).default(NOT_KNOWN)
});
export type NewSessionInput = z.infer<typeof newSessionSchema>;

export const MAX_BATCH = 200;

/** One leaf as the device sends it. */
export const entrySchema = z.object({
	id: z.uuid({ message: 'must be a UUID' }),
	sessionId: z.number({ message: 'must be a session number' }).int().positive(),
	questionKey: z.string({ message: 'must be a question key such as q1' }).max(16),
	group: z.string().max(64).nullable(),
	district: z.string().max(64).nullable(),
	// Cleaned here so a NUL typed or pasted into a leaf never reaches PostgreSQL (which refuses it).
	text: cleanedText(z.string({ message: 'must be text' })),
	/**
	 * Who typed it, as the device recorded it. Absent means "the sender"; a leaf
	 * typed by someone else is never stored as the sender's by a plain sync (it
	 * waits for its author, or is taken over explicitly: see changeover.ts).
	 */
	authorId: z.number().int().positive().nullable().optional(),
	/**
	 * "This worries me" pressed while typing the leaf: the concern is raised in the same
	 * transaction that stores the leaf (so offline it waits in the outbox with the leaf, and a
	 * resend raises nothing twice).
	 */
	concern: z
		.object({
			level: z.enum(['urgent', 'review'], { message: 'choose how urgent the concern is: urgent or review' }),
			note: cleanedText(z.string().trim().max(MAX_NOTE_LENGTH, 'the note must be 2,000 characters or fewer'))
				.nullable()
				.optional()
		})
		.nullable()
		.optional()
});
export type EntryInput = z.infer<typeof entrySchema>;

export const syncBodySchema = z.object({
	entries: z.array(z.unknown()).max(MAX_BATCH, `send at most ${MAX_BATCH} entries at a time`)
});

/** "" in a select means "not known". */
const orNull = z
	.string()
	.optional()
	.transform((v) => (v ? v : null));

/** The entry form without JavaScript: one leaf (the session comes from the page's address). */
export const leafForm = z.object({
	id: z.string().optional().default(''),
	question: z.string().optional().default(''),
	group: orNull,
	district: orNull,
	text: z.string().optional().default(''),
	/** "This worries me" typed with the leaf: a level, a note, and the button that sends both. */
	concernLevel: z.string().optional().default(''),
	concernNote: z.string().optional().default(''),
	worry: z
		.string()
		.optional()
		.transform((v) => v !== undefined)
});

/** Changing a leaf already sent. */
export const leafEditForm = leafForm.extend({ lastQuestion: z.string().optional().default('') });

/** Delete and undo of one leaf. */
export const leafIdForm = z.object({
	id: z.string().optional().default(''),
	lastQuestion: z.string().optional().default('')
});
