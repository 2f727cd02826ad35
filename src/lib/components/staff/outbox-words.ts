/**
 * The outbox's pure parts: what a queued leaf is, whose it is, and the words of
 * the status line. No browser or framework code, so they are unit-tested alone.
 */
export interface OutboxEntry {
	id: string;
	sessionId: number;
	questionKey: string;
	group: string | null;
	district: string | null;
	text: string;
	queuedAt: string;
	/** Who typed it; absent in outboxes written before authors were kept (then only a take-over sends it). */
	authorId?: number | null;
	authorEmail?: string | null;
	/** "This worries me" pressed while typing: raised on the server when the leaf is stored. */
	concern?: { level: 'urgent' | 'review'; note: string | null } | null;
}

export interface RejectedEntry extends OutboxEntry {
	errors: Record<string, string>;
}

export interface StaffUser {
	id: number;
	email: string;
}

/** Something the status line must say besides counts. */
export type OutboxProblem = 'signed-out' | 'forbidden' | 'someone-else' | 'server';

/** Leaves waiting on this computer for one other author. */
export interface KeptFor {
	authorId: number | null;
	authorEmail: string | null;
	entries: OutboxEntry[];
}

export const authorOf = (e: OutboxEntry): number | null => e.authorId ?? null;

/** The leaves of everyone but `userId`, grouped by author, oldest author first. */
export function keptForOthers(entries: OutboxEntry[], userId: number | null): KeptFor[] {
	const groups = new Map<number | null, KeptFor>();
	for (const e of entries) {
		const author = authorOf(e);
		if (author !== null && author === userId) continue;
		const g = groups.get(author) ?? { authorId: author, authorEmail: e.authorEmail ?? null, entries: [] };
		g.entries.push(e);
		groups.set(author, g);
	}
	return [...groups.values()];
}

/**
 * The words of the status line. "All saved" only when nothing at all is waiting
 * on this computer: not the user's, not anyone else's, and nothing refused.
 */
export function statusText(counts: { mine: number; others: number; rejected: number; offline: boolean }): string {
	const { mine, others, rejected, offline } = counts;
	if (mine + others + rejected === 0) return 'All saved';
	const parts: string[] = [];
	if (mine > 0) {
		const n = `${mine} waiting to send`;
		parts.push(offline ? `${n}: no connection, they are kept on this computer and will be sent when it returns` : n);
	}
	if (others > 0)
		parts.push(
			`${others} typed by another member of staff ${others === 1 ? 'is' : 'are'} kept on this computer, not sent`
		);
	if (rejected > 0) parts.push(`${rejected} not saved`);
	return `${parts.join('. ')}.`.replace(/\.\.$/, '.');
}

/**
 * The sync API refuses a leaf field by field ({ questionKey: "this session asks q2 only, not q1" }); its keys are
 * the API's names, not words an officer knows. Each is shown under the name the entry form gives the same field
 * (staff pages are English only, docs/languages.md, so these words stay here rather than in messages/*.json).
 */
const FIELD_NAMES: Record<string, string> = {
	questionKey: 'Question',
	group: 'Who answered',
	district: 'District',
	text: 'What the response says',
	sessionId: 'Session',
	authorId: 'Who typed it'
};

/** One line of a refused leaf's reasons: the field's name on the form, then the server's reason. */
export function refusalLine(field: string, message: string): string {
	// id, entry (a leaf the API could not read at all) and any field added later: about the leaf as a whole.
	return `${FIELD_NAMES[field] ?? 'This response'}: ${message}`;
}
