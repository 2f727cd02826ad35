/**
 * A switch's two paths compared with the analysis cache on, each path on its own handle to the one database.
 *
 * The analysis cache (src/lib/server/analysis/cache.ts) keeps its entries by database handle (connect.ts
 * `databaseId`), so a second handle opened on the same database never sees the first one's entries: each path's
 * views are worked out by that path alone, as with `ANALYSIS_CACHE=off`, but the work its views share (a family's
 * wider views and sibling rounds, which every member of the family asks for again) is done once per path instead of
 * once per view. A test that compares the two paths view by view asserts the same: every view of each path is still
 * built from the data by that path and compared whole.
 *
 * `TEST_CACHE_PAIRS=off` gives the comparison as before: the cache off, and both paths on the one handle.
 */
import { afterAll, beforeAll } from 'vitest';
import { openDatabase, type Db, type OpenDb } from '../../src/lib/server/db/connect';
import { parseDatabaseUrl } from '../../src/lib/server/db/config';
import { envSwitch } from '../../src/lib/analysis/switches';
import type { FreshDb } from './databases';

/** Room in the cache for every view a test file asks for (as tests/disclosure-joint.test.ts has since 3 December). */
const TEST_CACHE_ENTRIES = '5000';

/** Whether a switch's two paths are compared with the cache on, a handle each (TEST_CACHE_PAIRS, default on). */
export const cachePairs = () => envSwitch('TEST_CACHE_PAIRS') !== 'off';

/** The analysis environment for such a comparison: the cache on with room, or (TEST_CACHE_PAIRS=off) off. */
export const cachePairsEnv = (): Record<string, string> =>
	cachePairs() ? { ANALYSIS_CACHE_ENTRIES: TEST_CACHE_ENTRIES } : { ANALYSIS_CACHE: 'off' };

/**
 * A second handle on the database `data().fresh` names, opened in this describe block's beforeAll (register it
 * after the hook that makes the database) and closed in its afterAll: `on()` is the database's own handle, `off()`
 * the second one (the same handle with TEST_CACHE_PAIRS=off).
 */
export function pathHandles(data: () => { fresh: FreshDb }) {
	let other: OpenDb | undefined;
	beforeAll(async () => {
		if (cachePairs()) other = await openDatabase(parseDatabaseUrl(data().fresh.url));
	});
	afterAll(async () => {
		await other?.close();
		other = undefined;
	});
	return {
		on: (): Db => data().fresh.db,
		off: (): Db => other?.db ?? data().fresh.db
	};
}
