import type { Kysely } from 'kysely';
import type { Database } from '../../src/lib/server/db/schema';
import { createUser } from '../../src/lib/server/users/index';

/** The password test users get unless a test names its own (long enough for the password rule). */
export const TEST_PASSWORD = 'a long test password 1';

/**
 * The one way tests create a staff account: through the app's own `createUser` (the
 * password rule, the argon2 hash and the audit row, as the admin screen does).
 */
export async function addUser(
	db: Kysely<Database>,
	input: { email: string; role: 'admin' | 'officer' | 'entry'; password?: string; canSafeguard?: boolean },
	createdBy: number | null = null
) {
	return createUser(db, { ...input, password: input.password ?? TEST_PASSWORD }, createdBy);
}
