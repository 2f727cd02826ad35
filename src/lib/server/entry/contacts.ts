import type { Db } from '../db/connect';

/**
 * Who entry staff can ask to add a location (officers and admins, who may open
 * /admin/locations): active accounts only, officers first, a handful at most.
 */
export async function locationKeepers(db: Db, limit = 5): Promise<{ email: string; role: 'officer' | 'admin' }[]> {
	const rows = await db
		.selectFrom('app_user')
		.select(['email', 'role'])
		.where('role', 'in', ['officer', 'admin'])
		.where('disabled', '=', 0)
		.orderBy('role', 'desc')
		.orderBy('email')
		.limit(limit)
		.execute();
	return rows.map((r) => ({ email: r.email, role: r.role as 'officer' | 'admin' }));
}
