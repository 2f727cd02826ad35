// The crash test's report: what the database holds against what the clients were
// told, and the lines printed for it.
import { sql } from 'kysely';
import { openDatabase } from '../../../src/lib/server/db/connect';
import { clientIdColumn } from '../../../src/lib/server/submissions/client-ids';
import { parseDatabaseUrl } from '../../../src/lib/server/db/config';
import type { Load } from './load';

export interface CrashReport {
	engine: 'sqlite' | 'postgres';
	kills: number;
	clients: number;
	/** HTTP requests that reached the server (new and replayed). */
	sent: number;
	/** Connection attempts refused while the server was down; the client retried the same id. */
	refused: number;
	/** Distinct ids sent. */
	distinctIds: number;
	/** Requests that resent an id already sent. */
	replays: number;
	/** Replays of an id whose earlier attempt got no answer (connection reset by the kill, or refused). */
	replaysOfUnanswered: number;
	/** Distinct ids answered 201 or 200 at least once. */
	acknowledged: number;
	/** Acknowledged ids found in the database exactly once with their perspective and answer. */
	found: number;
	/** Acknowledged ids missing from the database, or present without their perspective or answer. */
	lost: number;
	/** Ids (acknowledged or not) stored more than once, or with doubled perspectives or answers. */
	duplicated: number;
	/** Submission rows with no perspective or no answer: a partial write. */
	partial: number;
	/** Submissions in the database whose id was never sent. */
	unexpected: number;
	/** Ids never acknowledged that were committed all the same (the answer was lost to a kill). */
	committedUnacknowledged: number;
	/** Requests in flight at the moment of each SIGKILL. */
	inFlightAtKills: number[];
	/** Milliseconds from each SIGKILL until the restarted server listened again. */
	downMs: number[];
	/** New acknowledgements between each (re)start and the next kill. */
	ackedPerPhase: number[];
	statuses: Record<string, number>;
	errors: Record<string, number>;
	/** Answered requests' latency in ms: median, 99th percentile, worst. */
	latencyMs: { p50: number; p99: number; max: number };
	totalMs: number;
}

export interface DbCounts {
	submissions: Map<string, number>;
	perspectives: Map<string, number>;
	answers: Map<string, number>;
}

export async function readCounts(url: string): Promise<DbCounts> {
	const open = await openDatabase(parseDatabaseUrl(url), { create: false });
	try {
		const toMap = (rows: { id: string; n: number | string | bigint }[]) =>
			new Map(rows.map((r) => [r.id, Number(r.n)]));
		if (await clientIdColumn(open.db)) {
			// By the id the client sent: a row keyed by a server id (submissions/client-ids.ts) keeps it in client_id;
			// a perspective or answer whose submission row is missing keeps its own submission_id.
			const by = async (table: 'submission' | 'perspective' | 'answer') => {
				const key =
					table === 'submission' ? 'coalesce(s.client_id, s.id)' : 'coalesce(s.client_id, s.id, t.submission_id)';
				const from =
					table === 'submission' ? 'submission s' : `${table} t left join submission s on s.id = t.submission_id`;
				return toMap(
					(
						await sql<{
							id: string;
							n: number;
						}>`select ${sql.raw(key)} as id, count(*) as n from ${sql.raw(from)} group by ${sql.raw(key)}`.execute(
							open.db
						)
					).rows
				);
			};
			return {
				submissions: await by('submission'),
				perspectives: await by('perspective'),
				answers: await by('answer')
			};
		}
		const submissions = await open.db
			.selectFrom('submission')
			.select(['id', (eb) => eb.fn.countAll<number>().as('n')])
			.groupBy('id')
			.execute();
		const perspectives = await open.db
			.selectFrom('perspective')
			.select(['submission_id as id', (eb) => eb.fn.countAll<number>().as('n')])
			.groupBy('submission_id')
			.execute();
		const answers = await open.db
			.selectFrom('answer')
			.select(['submission_id as id', (eb) => eb.fn.countAll<number>().as('n')])
			.groupBy('submission_id')
			.execute();
		return { submissions: toMap(submissions), perspectives: toMap(perspectives), answers: toMap(answers) };
	} finally {
		await open.close();
	}
}

/** Compares the acknowledged ids with the rows found: lost, doubled, partial, unexpected. */
export function tally(load: Pick<Load, 'acked' | 'sentSet'>, counts: DbCounts) {
	let found = 0;
	let lost = 0;
	let duplicated = 0;
	let partial = 0;
	let unexpected = 0;
	let committedUnacknowledged = 0;
	for (const id of load.acked) {
		const s = counts.submissions.get(id) ?? 0;
		const p = counts.perspectives.get(id) ?? 0;
		const a = counts.answers.get(id) ?? 0;
		if (s === 1 && p === 1 && a === 1) found++;
		else if (s === 0 || p === 0 || a === 0) lost++;
	}
	for (const [id, s] of counts.submissions) {
		if (!load.sentSet.has(id)) unexpected++;
		const p = counts.perspectives.get(id) ?? 0;
		const a = counts.answers.get(id) ?? 0;
		if (s > 1 || p > 1 || a > 1) duplicated++;
		if (p === 0 || a === 0) partial++;
		if (!load.acked.has(id)) committedUnacknowledged++;
	}
	// Perspectives or answers whose submission row is missing would also be a partial write.
	for (const id of new Set([...counts.perspectives.keys(), ...counts.answers.keys()])) {
		if (!counts.submissions.has(id)) partial++;
	}
	return { found, lost, duplicated, partial, unexpected, committedUnacknowledged };
}

export function percentiles(values: number[]) {
	const sorted = [...values].sort((a, b) => a - b);
	const at = (q: number) =>
		sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]) : 0;
	return { p50: at(0.5), p99: at(0.99), max: Math.round(sorted.at(-1) ?? 0) };
}

export function describeReport(r: CrashReport): string[] {
	const name = r.engine === 'sqlite' ? 'SQLite' : 'PostgreSQL';
	const fmt = (o: Record<string, number>) =>
		Object.entries(o)
			.map(([k, v]) => `${k}×${v}`)
			.join(', ') || 'none';
	return [
		`${name}: ${r.kills} SIGKILLs under ${r.clients} concurrent clients (in flight at each kill: ${r.inFlightAtKills.join(', ')}; acknowledged since the previous start: ${r.ackedPerPhase.join(', ')}; back up after ${r.downMs.map((ms) => (ms / 1000).toFixed(1)).join(', ')} s)`,
		`${name}: sent ${r.sent} requests (${r.distinctIds} ids, ${r.replays} replays of which ${r.replaysOfUnanswered} resent an unanswered id)`,
		`${name}: acknowledged ${r.acknowledged}, found ${r.found}, lost ${r.lost}, duplicated ${r.duplicated}, partial ${r.partial}, unexpected ${r.unexpected}`,
		`${name}: committed but never acknowledged (answer lost to a kill): ${r.committedUnacknowledged}`,
		`${name}: HTTP statuses ${fmt(r.statuses)}; no answer ${fmt(r.errors)}; ${r.refused} connection attempts refused while down (retried)`,
		`${name}: answered requests' latency p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, max ${r.latencyMs.max} ms`,
		`${name}: total time ${(r.totalMs / 1000).toFixed(1)} s — ${passed(r) ? 'PASS' : 'FAIL'}`
	];
}

export function passed(r: CrashReport): boolean {
	return (
		r.lost === 0 &&
		r.duplicated === 0 &&
		r.partial === 0 &&
		r.unexpected === 0 &&
		r.acknowledged > 0 &&
		r.found === r.acknowledged
	);
}
