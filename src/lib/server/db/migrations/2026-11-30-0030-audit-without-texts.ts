import type { Kysely } from 'kysely';

// Frozen: never import application code here; a later change gets a new migration.

/**
 * The audit log now keeps ids, codes and field names, never anyone's words.
 * Rows written before that kept a leaf's text on edit and delete, a
 * safeguarding note on each change and a staff member's email on account
 * changes: those keys are removed here, and the fields an edit touched are
 * recorded in their place. Nothing else in the log changes.
 */
const WORD_KEYS = ['text', 'note', 'email'];
const ACTIONS = [
	'entry.update',
	'entry.delete',
	'safeguarding.update',
	'user.create',
	'user.update',
	'user.disable',
	'user.enable'
];

function parse(v: string | null): Record<string, unknown> | null {
	if (v === null) return null;
	try {
		const o = JSON.parse(v);
		return o && typeof o === 'object' && !Array.isArray(o) ? o : null;
	} catch {
		return null;
	}
}

export async function up(db: Kysely<any>): Promise<void> {
	const rows = await db
		.selectFrom('audit_log')
		.select(['id', 'before', 'after', 'detail'])
		.where('action', 'in', ACTIONS)
		.execute();
	for (const r of rows) {
		const before = parse(r.before);
		const after = parse(r.after);
		const found = WORD_KEYS.filter((k) => (before && k in before) || (after && k in after));
		if (found.length === 0) continue;
		const changed = found.filter((k) => before && after && JSON.stringify(before[k]) !== JSON.stringify(after[k]));
		for (const k of WORD_KEYS) {
			if (before) delete before[k];
			if (after) delete after[k];
		}
		// A free-text detail (never written by these actions) is dropped rather than kept.
		const detail: Record<string, unknown> = parse(r.detail) ?? {};
		if (before && after) detail.fields = [...new Set([...((detail.fields as string[]) ?? []), ...changed])].sort();
		await db
			.updateTable('audit_log')
			.set({
				before: before ? JSON.stringify(before) : r.before,
				after: after ? JSON.stringify(after) : r.after,
				detail: Object.keys(detail).length ? JSON.stringify(detail) : null
			})
			.where('id', '=', r.id)
			.execute();
	}
}

export async function down(): Promise<void> {
	// The words are gone on purpose; there is nothing to put back.
}
