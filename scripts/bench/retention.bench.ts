/**
 * Retention and deletion on request with 100,000 answers on SQLite: how long
 * deleting one submission by its reference takes (purge, write-ahead log
 * truncated; with and without rebuilding the file by VACUUM), and how long
 * retention of the whole consultation takes. The database file and its WAL are
 * then searched for one deleted answer's words. RETENTION_BENCH_ANSWERS and
 * RETENTION_BENCH_DELETES change the size and the number of deletions timed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPrepared } from '../../src/lib/server/bootstrap';
import { parseDatabaseUrl } from '../../src/lib/server/db/config';
import { applyRetention, deleteByReference } from '../../src/lib/server/retention/retention';
import { generateAnswers } from '../generate-answers';

function quantile(sorted: number[], q: number): number {
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export async function run(log: (line: string) => void): Promise<void> {
	const total = Number(process.env.RETENTION_BENCH_ANSWERS ?? 100_000);
	const deletes = Number(process.env.RETENTION_BENCH_DELETES ?? 20);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consult-retention-bench-'));
	const file = path.join(dir, 'bench.sqlite');
	const open = await openPrepared(parseDatabaseUrl(`file:${file}`));
	try {
		const g = await generateAnswers(open.db, { answers: total });
		log(
			`generated ${g.answers.toLocaleString('en-GB')} answers (${g.submissions.toLocaleString('en-GB')} submissions) in ${(g.ms / 1000).toFixed(1)} s; file ${mb(fs.statSync(file).size)}`
		);

		// Submissions spread over the table, with the words of the first to look for afterwards.
		const subs = await open.db.selectFrom('submission').select(['id', 'reference']).orderBy('id').execute();
		const picked = Array.from(
			{ length: deletes + 1 },
			(_, i) => subs[Math.floor(((i + 0.5) * subs.length) / (deletes + 1))]
		);
		// Generated answers repeat phrases, so one deleted answer gets a word no other answer has.
		const marker = 'Quorvelbenchmark';
		const first = await open.db
			.selectFrom('answer')
			.select('id')
			.where('submission_id', '=', picked[0].id)
			.executeTakeFirstOrThrow();
		await open.db
			.updateTable('answer')
			.set({ text: `${marker} wants a bigger park` })
			.where('id', '=', first.id)
			.execute();
		const inFile = (w: string) => [file, `${file}-wal`].some((f) => fs.existsSync(f) && fs.readFileSync(f).includes(w));
		const foundBefore = inFile(marker);

		const times: number[] = [];
		for (const s of picked.slice(0, deletes)) {
			const t0 = performance.now();
			if (!(await deleteByReference(open.db, s.reference, { vacuum: false })))
				throw new Error(`no submission ${s.reference}`);
			times.push(performance.now() - t0);
		}
		times.sort((a, b) => a - b);
		log(
			`delete by reference (purge + WAL truncated), ${deletes} runs: p50 ${quantile(times, 0.5).toFixed(0)} ms, max ${times[times.length - 1].toFixed(0)} ms`
		);

		log(
			`a deleted answer's marker word found in the database file or its WAL: before ${foundBefore ? 'yes' : 'NO'}, after ${inFile(marker) ? 'YES' : 'no'}`
		);

		const t1 = performance.now();
		await deleteByReference(open.db, picked[deletes].reference, { vacuum: true });
		log(
			`delete by reference with VACUUM (file rebuilt): ${(performance.now() - t1).toFixed(0)} ms; file ${mb(fs.statSync(file).size)}`
		);

		const t2 = performance.now();
		const r = await applyRetention(open.db, { now: new Date('2100-01-01T00:00:00Z'), vacuum: true });
		const cleared = r.consultations.reduce((n, c) => n + c.answersCleared, 0);
		log(
			`retention of the consultation (${cleared.toLocaleString('en-GB')} answers, every copy, then VACUUM ${r.reclaim?.ms ?? 0} ms): ${((performance.now() - t2) / 1000).toFixed(1)} s; file ${mb(fs.statSync(file).size)}`
		);
	} finally {
		await open.close();
		fs.rmSync(dir, { recursive: true, force: true });
	}
}
