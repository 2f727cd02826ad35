import type { CompiledQuery } from 'kysely';
import { analysisDb, type Db } from '../../src/lib/server/db/connect';

/**
 * `db`'s analysis lane as another instance whose every statement's SQL is kept in `seen` (its executor wrapped): for
 * tests that count what a view reads (a statement per scope, a pass over `answer`). Through the lane because the
 * wrapped instance is no longer the handle analysisDb knows: a view computed on it would otherwise open its
 * hundreds of family queries on the whole PostgreSQL pool at once and time out under load (ci41 saw it).
 */
export function logged(db: Db, seen: string[]): Db {
	const own = analysisDb(db).withPlugin({
		transformQuery: (args) => args.node,
		transformResult: async (args) => args.result
	});
	const executor = own.getExecutor();
	const run = executor.executeQuery.bind(executor);
	executor.executeQuery = ((q: CompiledQuery, ...rest: unknown[]) => {
		seen.push(q.sql);
		return (run as (...a: unknown[]) => ReturnType<typeof run>)(q, ...rest);
	}) as typeof executor.executeQuery;
	return own as Db;
}
