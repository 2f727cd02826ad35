import { redact } from '../../privacy';
import type { Db } from '../db/connect';
import { nowIso } from '../util/time';

/**
 * The audit log records who did what to which thing, when: ids, codes and the
 * names of the fields changed, never the words themselves. The log is kept
 * longer than the answers, so a text written here would outlive retention and
 * deletion on request. Writers pass ids and `fields`; a string that still
 * slips in (a file name, a search) is redacted on the way in, and audit rows
 * about purged answers are scrubbed by the purge (retention/purge.ts).
 */
export interface AuditEntry {
	userId: number | null;
	/** What happened, e.g. "login", "login.failed", "user.update", "entry.delete". */
	action: string;
	/** The kind of thing it happened to, e.g. "app_user", "answer", "submission". */
	entity: string;
	entityId?: string | number | null;
	/** State before and after as ids and codes (never texts, hashes or tokens). */
	before?: unknown;
	after?: unknown;
	/** Free text or an object (stored as JSON); `{ fields: [...] }` names the fields a change touched. */
	detail?: unknown;
}

const SECRET_KEYS = new Set(['password', 'password_hash', 'passwordHash', 'token', 'session']);

/** Every string in a value, redacted of emails, phones, postcodes, addresses and names. */
function redactStrings(value: unknown): unknown {
	if (typeof value === 'string') return redact(value).text;
	if (Array.isArray(value)) return value.map(redactStrings);
	if (value && typeof value === 'object')
		return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactStrings(v)]));
	return value;
}

/** JSON with any secret-looking keys removed, so an audit row can never leak a hash or token. */
function toJson(value: unknown): string | null {
	if (value === undefined || value === null) return null;
	if (typeof value === 'string') return redact(value).text;
	return JSON.stringify(
		redactStrings(JSON.parse(JSON.stringify(value, (key, v) => (SECRET_KEYS.has(key) ? undefined : v))))
	);
}

/**
 * Writes one audit_log row. Pass the transaction that made the change so the
 * change and its record commit (or roll back) together.
 */
export async function audit(db: Db, entry: AuditEntry): Promise<void> {
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

/** The names of the fields whose values differ between two records. */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
	const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
	return [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).sort();
}

/**
 * Keys whose string values are codes or ids the app writes (never anyone's
 * words), kept when an audit row is scrubbed; every other string becomes "[deleted]".
 */
const CODE_KEYS = new Set([
	'fields',
	'questionKey',
	'group',
	'district',
	'status',
	'level',
	'role',
	'channel',
	'format',
	'reference',
	'date',
	'sha256',
	'ids'
]);
const DELETED = '[deleted]';

function scrub(value: unknown, key: string): unknown {
	if (typeof value === 'string') return CODE_KEYS.has(key) ? value : DELETED;
	if (Array.isArray(value)) return value.map((v) => scrub(v, key));
	if (value && typeof value === 'object')
		return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v, k)]));
	return value;
}

/**
 * One stored before/after/detail value with every string that may be words
 * replaced, keeping ids, numbers, codes and field names. A value that is not
 * JSON (a free-text detail) is replaced whole.
 */
export function scrubAuditJson(stored: string | null): string | null {
	if (stored === null) return null;
	let parsed: unknown;
	try {
		parsed = JSON.parse(stored);
	} catch {
		return DELETED;
	}
	const out = JSON.stringify(scrub(parsed, ''));
	return out === stored ? stored : out;
}
