import { z } from 'zod';

/** Leaves per request: the same cap as a sync batch. */
export const MAX_CHANGEOVER_ENTRIES = 200;

const entries = z
	.array(z.unknown())
	.min(1, 'choose at least one response')
	.max(MAX_CHANGEOVER_ENTRIES, `send at most ${MAX_CHANGEOVER_ENTRIES} responses at a time`);

/** POST /api/entry/take-over: leaves typed by `fromUserId` (null: not recorded), sent now as the signed-in user's. */
export const takeOverBodySchema = z.object({
	fromUserId: z
		.number({ message: 'must be the id of the member of staff who typed them, or null' })
		.int()
		.positive()
		.nullable(),
	entries
});

/** One leaf being thrown away from a device: ids only, never its words (the audit keeps no text). */
export const discardedLeafSchema = z.object({
	id: z.string().min(1).max(64),
	sessionId: z.number().int().positive().nullable(),
	authorId: z.number().int().positive().nullable()
});

/** POST /api/entry/discard: leaves removed from a device's outbox after the person confirmed it. */
export const discardBodySchema = z.object({
	reason: z.enum(['waiting', 'rejected'], { message: 'must be "waiting" or "rejected"' }),
	entries: z.array(discardedLeafSchema).min(1, 'choose at least one response').max(MAX_CHANGEOVER_ENTRIES)
});
export type DiscardBody = z.infer<typeof discardBodySchema>;
