import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { nowIso } from '../util/time';

export interface AuditEntry {
	userId: number | null;
	/** What happened, e.g. "login", "login.failed", "user.update", "entry.delete". */
	action: string;
	/** The kind of thing it happened to, e.g. "app_user", "answer", "submission". */
	entity: string;
	entityId?: string | number | null;
	/** State before and after, as plain objects; never pass password hashes or tokens. */
	before?: unknown;
	after?: unknown;
	/** Free text or an object (stored as JSON). */
	detail?: unknown;
}

const SECRET_KEYS = new Set(['password', 'password_hash', 'passwordHash', 'token', 'session']);

/** JSON with any secret-looking keys removed, so an audit row can never leak a hash or token. */
function toJson(value: unknown): string | null {
	if (value === undefined || value === null) return null;
	if (typeof value === 'string') return value;
	return JSON.stringify(value, (key, v) => (SECRET_KEYS.has(key) ? undefined : v));
}

/**
 * Writes one audit_log row. Pass the transaction that made the change so the
 * change and its record commit (or roll back) together.
 */
export async function audit(db: Kysely<Database>, entry: AuditEntry): Promise<void> {
	await db
		.insertInto('audit_log')
		.values({
			at: nowIso(),
			user_id: entry.userId,
			action: entry.action,
			entity: entry.entity,
			entity_id: entry.entityId == null ? null : String(entry.entityId),
			before: toJson(entry.before),
			after: toJson(entry.after),
			detail: toJson(entry.detail)
		})
		.execute();
}
