/**
 * A small in-process cache of computed analysis pages. An entry is reused only
 * while a fingerprint of the data behind it is unchanged: the counts and latest
 * changes of submissions, perspectives, answers, codings (with a checksum over
 * which themes apply to which answers, so a recode that flips codings is seen),
 * themes, sessions, locations, quotes and safeguarding flags. Computing the
 * fingerprint is a handful of index scans; a page whose data has not changed is
 * then served without re-running its aggregate queries. Per process (each app
 * instance has its own); ANALYSIS_CACHE=off turns it off (the benchmark reports both).
 */
import { sql } from 'kysely';
import type { Db } from '../db/connect';

const MAX_ENTRIES = 200;
const TTL_MS = 10 * 60_000;
const entries = new Map<string, { fingerprint: string; at: number; value: unknown }>();

export function cacheEnabled(): boolean {
	return process.env.ANALYSIS_CACHE !== 'off';
}

export async function dataFingerprint(db: Db, consultationId: number): Promise<string> {
	const r = await sql<Record<string, unknown>>`
		select
			(select count(*) from submission where consultation_id = ${consultationId}) as s_n,
			(select max(updated_at) from submission where consultation_id = ${consultationId}) as s_u,
			(select count(*) from perspective) as p_n,
			(select count(*) from answer) as a_n,
			(select max(id) from answer) as a_id,
			(select max(updated_at) from answer) as a_u,
			(select count(*) from answer_theme) as t_n,
			(select sum(applies * (answer_id % 9973 + 1) * (theme_id % 9973 + 1)) from answer_theme) as t_sum,
			(select count(*) from theme) as th_n,
			(select max(updated_at) from theme) as th_u,
			(select count(*) from collection_session) as cs_n,
			(select max(id) from collection_session) as cs_id,
			(select count(*) from location) as l_n,
			(select count(*) from quote) as q_n,
			(select max(starred_at) from quote) as q_u,
			(select count(*) from safeguarding_flag) as sf_n
	`.execute(db);
	return JSON.stringify(Object.values(r.rows[0] ?? {}).map((v) => (v === null || v === undefined ? null : String(v))));
}

/** The value for `key`, computed by `work` unless a copy made from the same data is at hand. */
export async function cachedAnalysis<T>(
	db: Db,
	consultationId: number,
	key: string,
	work: () => Promise<T>
): Promise<T> {
	if (!cacheEnabled()) return work();
	const fingerprint = await dataFingerprint(db, consultationId);
	const k = `${consultationId}|${key}`;
	const hit = entries.get(k);
	if (hit && hit.fingerprint === fingerprint && Date.now() - hit.at < TTL_MS) {
		entries.delete(k);
		entries.set(k, hit); // most recently used last
		return hit.value as T;
	}
	const value = await work();
	entries.set(k, { fingerprint, at: Date.now(), value });
	while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
	return value;
}
