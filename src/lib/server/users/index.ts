import { PostgresAdapter, type Transaction } from 'kysely';
import type { Db } from '../db/connect';
import { emailSchema } from '../../schemas/staff';
import type { Database } from '../db/schema';
import type { Role } from '../auth/guard';
import { audit } from '../audit/index';
import { hashPassword, passwordProblem } from '../auth/password';
import { deleteUserSessions } from '../auth/session';
import { normaliseEmail } from '../auth/login';
import { nowIso } from '../util/time';

export const ROLES: readonly Role[] = ['admin', 'officer', 'entry'];
export const ROLE_LABELS: Record<Role, string> = {
	admin: 'Admin (users, consultations, everything)',
	officer: 'Officer (analysis, coding, exports, entry)',
	entry: 'Entry (face-to-face entry only)'
};

export { emailSchema } from '../../schemas/staff';

export class UserError extends Error {
	constructor(
		message: string,
		readonly field: string = 'email'
	) {
		super(message);
	}
}

export interface UserView {
	id: number;
	email: string;
	role: Role;
	canSafeguard: boolean;
	canManageConsultations: boolean;
	disabled: boolean;
	createdAt: string;
	lastLoginAt: string | null;
}

function view(r: {
	id: number;
	email: string;
	role: Role;
	can_safeguard: number;
	can_manage_consultations: number;
	disabled: number;
	created_at: string;
	last_login_at: string | null;
}): UserView {
	return {
		id: r.id,
		email: r.email,
		role: r.role,
		canSafeguard: r.can_safeguard === 1,
		canManageConsultations: r.can_manage_consultations === 1,
		disabled: r.disabled === 1,
		createdAt: r.created_at,
		lastLoginAt: r.last_login_at
	};
}

const PUBLIC_COLUMNS = [
	'id',
	'email',
	'role',
	'can_safeguard',
	'can_manage_consultations',
	'disabled',
	'created_at',
	'last_login_at'
] as const;

export async function listUsers(db: Db): Promise<UserView[]> {
	const rows = await db.selectFrom('app_user').select(PUBLIC_COLUMNS).orderBy('email').execute();
	return rows.map(view);
}

export async function getUser(db: Db, id: number): Promise<UserView | null> {
	const row = await db.selectFrom('app_user').select(PUBLIC_COLUMNS).where('id', '=', id).executeTakeFirst();
	return row ? view(row) : null;
}

export async function findUserByEmail(db: Db, email: string): Promise<UserView | null> {
	const row = await db
		.selectFrom('app_user')
		.select(PUBLIC_COLUMNS)
		.where('email', '=', normaliseEmail(email))
		.executeTakeFirst();
	return row ? view(row) : null;
}

function auditable(u: UserView) {
	// The account is named by entity_id; its email stays out of the log.
	return {
		role: u.role,
		canSafeguard: u.canSafeguard,
		canManageConsultations: u.canManageConsultations,
		disabled: u.disabled
	};
}

/** Creates an account. Throws UserError for a bad email, role or password, or an email already used. */
export async function createUser(
	db: Db,
	input: { email: string; role: string; password: string; canSafeguard?: boolean },
	actorId: number | null
): Promise<UserView> {
	const parsed = emailSchema.safeParse(input.email);
	if (!parsed.success) throw new UserError(parsed.error.issues[0].message, 'email');
	const email = normaliseEmail(parsed.data);
	if (!ROLES.includes(input.role as Role)) throw new UserError(`Role must be one of ${ROLES.join(', ')}`, 'role');
	const problem = passwordProblem(input.password);
	if (problem) throw new UserError(problem, 'password');
	if (await findUserByEmail(db, email))
		throw new UserError('There is already an account with that email address', 'email');
	const passwordHash = await hashPassword(input.password);
	const now = nowIso();
	return db.transaction().execute(async (tx) => {
		const row = await tx
			.insertInto('app_user')
			.values({
				email,
				password_hash: passwordHash,
				role: input.role as Role,
				can_safeguard: input.canSafeguard ? 1 : 0,
				disabled: 0,
				created_at: now,
				updated_at: now
			})
			.returning(PUBLIC_COLUMNS)
			.executeTakeFirstOrThrow();
		const user = view(row);
		await audit(tx, {
			userId: actorId,
			action: 'user.create',
			entity: 'app_user',
			entityId: user.id,
			after: auditable(user)
		});
		return user;
	});
}

/**
 * Changes role, safeguarding permission or disabled state. Disabling ends the
 * user's sessions at once. Refuses to leave the system without an active admin.
 */
export async function updateUser(
	db: Db,
	id: number,
	changes: { role?: string; canSafeguard?: boolean; canManageConsultations?: boolean; disabled?: boolean },
	actorId: number | null
): Promise<UserView> {
	if (changes.role !== undefined && !ROLES.includes(changes.role as Role)) {
		throw new UserError(`Role must be one of ${ROLES.join(', ')}`, 'role');
	}
	return db.transaction().execute(async (tx) => {
		await lockActiveAdmins(tx);
		const beforeRow = await tx.selectFrom('app_user').select(PUBLIC_COLUMNS).where('id', '=', id).executeTakeFirst();
		if (!beforeRow) throw new UserError('There is no such user', 'user');
		const before = view(beforeRow);
		const set: Partial<{
			role: Role;
			can_safeguard: number;
			can_manage_consultations: number;
			disabled: number;
			updated_at: string;
		}> = {};
		if (changes.role !== undefined && changes.role !== before.role) set.role = changes.role as Role;
		if (changes.canSafeguard !== undefined && changes.canSafeguard !== before.canSafeguard)
			set.can_safeguard = changes.canSafeguard ? 1 : 0;
		if (
			changes.canManageConsultations !== undefined &&
			changes.canManageConsultations !== before.canManageConsultations
		)
			set.can_manage_consultations = changes.canManageConsultations ? 1 : 0;
		if (changes.disabled !== undefined && changes.disabled !== before.disabled) set.disabled = changes.disabled ? 1 : 0;
		if (Object.keys(set).length === 0) return before;
		const losingAdmin =
			before.role === 'admin' && !before.disabled && ((set.role && set.role !== 'admin') || set.disabled === 1);
		if (losingAdmin) {
			const admins = await tx
				.selectFrom('app_user')
				.select((eb) => eb.fn.countAll().as('n'))
				.where('role', '=', 'admin')
				.where('disabled', '=', 0)
				.executeTakeFirstOrThrow();
			if (Number(admins.n) <= 1) throw new UserError('This is the only active admin: make another admin first', 'role');
		}
		set.updated_at = nowIso();
		const afterRow = await tx
			.updateTable('app_user')
			.set(set)
			.where('id', '=', id)
			.returning(PUBLIC_COLUMNS)
			.executeTakeFirstOrThrow();
		const after = view(afterRow);
		if (set.disabled === 1 || set.role !== undefined) await deleteUserSessions(tx, id);
		const action = set.disabled === 1 ? 'user.disable' : set.disabled === 0 ? 'user.enable' : 'user.update';
		await audit(tx, {
			userId: actorId,
			action,
			entity: 'app_user',
			entityId: id,
			before: auditable(before),
			after: auditable(after)
		});
		return after;
	});
}

/**
 * Two admins disabling each other at the same moment must not leave none: each
 * change first locks the active admins' rows (in id order, so two changes never
 * deadlock), then reads and counts. The second change waits for the first to
 * commit and, PostgreSQL re-checking the locked rows, counts the admins left.
 * SQLite needs no lock: its single connection runs one transaction at a time.
 */
async function lockActiveAdmins(tx: Transaction<Database>): Promise<void> {
	if (!(tx.getExecutor().adapter instanceof PostgresAdapter)) return;
	await tx
		.selectFrom('app_user')
		.select('id')
		.where('role', '=', 'admin')
		.where('disabled', '=', 0)
		.orderBy('id')
		.forUpdate()
		.execute();
}

/** Sets a new password and ends the user's sessions (they sign in again with it). */
export async function setPassword(db: Db, id: number, password: string, actorId: number | null): Promise<void> {
	const problem = passwordProblem(password);
	if (problem) throw new UserError(problem, 'password');
	const passwordHash = await hashPassword(password);
	await db.transaction().execute(async (tx) => {
		const r = await tx
			.updateTable('app_user')
			.set({ password_hash: passwordHash, updated_at: nowIso() })
			.where('id', '=', id)
			.executeTakeFirst();
		if (Number(r.numUpdatedRows) === 0) throw new UserError('There is no such user', 'user');
		await deleteUserSessions(tx, id);
		await audit(tx, {
			userId: actorId,
			action: 'user.password_reset',
			entity: 'app_user',
			entityId: id,
			detail: 'password changed; sessions ended'
		});
	});
}
