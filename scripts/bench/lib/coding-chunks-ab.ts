/**
 * Chunk-by-chunk A/B of the SQLite coder's writes in one process (issue #19; the shape of helper code38's scratch
 * `ab-chunks.mts`, kept here): two copies of the same database, each forgotten (the engine's codings deleted,
 * `coded_at` cleared, the aggregates rebuilt), then the same chunks written to both through `storeVerdictsSqlite`, back
 * to back, the order alternating, so that both arms see the same load at the same moment. A chunk is `CHUNK` answers
 * (default 200) of one question, its verdicts the engine's rows of SOURCE (an already coded copy: what
 * `generate:answers` leaves); `GROUP` chunks (default 10) are one transaction, timed with its COMMIT, by the CPU of
 * this thread (Linux /proc/thread-self/schedstat). Each arm's environment is set around its writes (ARM_A / ARM_B:
 * `NAME=value,NAME=value`, e.g. `CODING_SQLITE_ROWS=off`), so switches read at use differ per arm; a migration's A/B
 * uses two copies prepared apart (prepare-copy.ts, the A with the migration's `down`). At the end: µs of CPU per
 * answer by thirds of the chunks, per arm, and whether the written tables (codings, aggregates, cube, quote order)
 * are equal on both copies.
 * FORGET_ONLY=1 forgets both copies and stops; FORGOTTEN=1 skips the forgetting (copies of files so forgotten).
 * Usage: [ANSWERS=30000] [CHUNK=200] [GROUP=10] [ARM_A=..] [ARM_B=..] tsx scripts/bench/lib/coding-chunks-ab.ts SOURCE A B
 */
import fs from 'node:fs';
import os from 'node:os';
import { sql } from 'kysely';
import { openDatabase } from '../../../src/lib/server/db/connect';
import type { Db } from '../../../src/lib/server/db/connect';
import { storeVerdictsSqlite, type SqliteVerdictRow } from '../../../src/lib/server/coding/store-sqlite';
import { rebuildAggregates } from '../../../src/lib/server/analysis/aggregates';
import { BYPASS_TABLE } from '../../../src/lib/server/db/migrations/lib/trigger-bypass';

const [source, pathA, pathB] = process.argv.slice(2);
if (!source || !pathA || !pathB) throw new Error('usage: coding-chunks-ab.ts SOURCE A B');
const limit = Number(process.env.ANSWERS ?? 30000);
const chunkSize = Number(process.env.CHUNK ?? 200);
const group = Number(process.env.GROUP ?? 10);
const arms = [process.env.ARM_A ?? '', process.env.ARM_B ?? ''].map((s) =>
	s
		.split(',')
		.filter(Boolean)
		.map((kv) => kv.split('=') as [string, string])
);

function cpuNs(): number {
	return Number(fs.readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
}

/** The engine's rows of SOURCE for the first `limit` answers with words, in chunks of one question. */
async function chunks(): Promise<{ ids: number[]; rows: SqliteVerdictRow[] }[]> {
	const open = await openDatabase({ kind: 'sqlite', path: source }, { create: false });
	try {
		const answers = await sql<{ id: number; q: number }>`select id, question_id as q from answer
			where text is not null order by id limit ${limit}`.execute(open.db);
		const codings = await sql<SqliteVerdictRow>`select answer_id, theme_id, coalesce(confidence, 0.9) as confidence
			from answer_theme where source = 'auto' and answer_id <= ${answers.rows.at(-1)?.id ?? 0}
			order by answer_id, theme_id`.execute(open.db);
		const byAnswer = new Map<number, SqliteVerdictRow[]>();
		for (const c of codings.rows) {
			const l = byAnswer.get(c.answer_id);
			if (l) l.push(c);
			else byAnswer.set(c.answer_id, [c]);
		}
		const byQuestion = new Map<number, number[]>();
		for (const a of answers.rows) {
			const l = byQuestion.get(a.q);
			if (l) l.push(a.id);
			else byQuestion.set(a.q, [a.id]);
		}
		const out: { ids: number[]; rows: SqliteVerdictRow[] }[] = [];
		for (const ids of byQuestion.values())
			for (let i = 0; i < ids.length; i += chunkSize) {
				const part = ids.slice(i, i + chunkSize);
				out.push({ ids: part, rows: part.flatMap((id) => byAnswer.get(id) ?? []) });
			}
		// Questions interleaved chunk by chunk, as answers arrive (the coder codes a question at a time, but the
		// order of the rows within a table is what matters here, not the question).
		return out;
	} finally {
		await open.close();
	}
}

/** As coding-run.ts's CODING_FORGET=codings: the engine's rows deleted, coded_at cleared, the aggregates rebuilt. */
async function forget(db: Db) {
	await db.transaction().execute(async (tx) => {
		await sql`insert into ${sql.table(BYPASS_TABLE)} (id) values (1)`.execute(tx);
		await sql`delete from answer_theme where source = 'auto'`.execute(tx);
		await sql`update answer set coded_at = null where coded_at is not null`.execute(tx);
		await sql`delete from ${sql.table(BYPASS_TABLE)}`.execute(tx);
	});
	await rebuildAggregates(db);
}

const TABLES = [
	'answer_theme',
	'analysis_agg_theme',
	'analysis_agg_answer',
	'analysis_agg_coding',
	'analysis_agg_theme_day',
	'analysis_agg_answer_day',
	'analysis_agg_theme_submission',
	'analysis_agg_theme_equality',
	'analysis_agg_theme_perspective',
	'analysis_agg_theme_question',
	'analysis_agg_quote_order'
];

/** A hash-free fingerprint of a table: its rows sorted, as one string (the tables are small enough at 30,000). */
async function tableText(db: Db, table: string): Promise<string> {
	const cols = table === 'answer_theme' ? 'answer_id, theme_id, source, applies, confidence, user_id' : '*';
	const rows = await sql.raw(`select ${cols} from ${table}`).execute(db);
	return rows.rows
		.map((r) => JSON.stringify(r))
		.sort()
		.join('\n');
}

const work = await chunks();
const dbs = [
	await openDatabase({ kind: 'sqlite', path: pathA }, { create: false }),
	await openDatabase({ kind: 'sqlite', path: pathB }, { create: false })
];
try {
	// FORGOTTEN=1: the copies are already forgotten (a copy of a file this tool forgot with FORGET_ONLY=1).
	if (process.env.FORGOTTEN !== '1') for (const o of dbs) await forget(o.db);
	if (process.env.FORGET_ONLY === '1') {
		console.log('forgotten');
		process.exit(0);
	}
	const ns = [0, 0, 0, 0, 0, 0]; // arm × third
	const answersIn = [0, 0, 0];
	const now = new Date().toISOString();
	const load0 = os.loadavg()[0];
	let g = 0;
	for (let i = 0; i < work.length; i += group, g++) {
		const part = work.slice(i, i + group);
		const third = Math.min(2, Math.floor((3 * i) / work.length));
		answersIn[third] += part.reduce((t, c) => t + c.ids.length, 0);
		for (const arm of g % 2 === 0 ? [0, 1] : [1, 0]) {
			const saved = arms[arm].map(([k]) => [k, process.env[k]] as const);
			for (const [k, v] of arms[arm]) process.env[k] = v;
			const t0 = cpuNs();
			await dbs[arm].db.transaction().execute(async (tx) => {
				for (const c of part) await storeVerdictsSqlite(tx, c.ids, c.rows, now);
			});
			ns[arm * 3 + third] += cpuNs() - t0;
			for (const [k, v] of saved)
				if (v === undefined) delete process.env[k];
				else process.env[k] = v;
		}
	}
	const us = (arm: number, third: number) => Math.round(ns[arm * 3 + third] / 1000 / answersIn[third]);
	const total = (arm: number) =>
		Math.round((ns[arm * 3] + ns[arm * 3 + 1] + ns[arm * 3 + 2]) / 1000 / (answersIn[0] + answersIn[1] + answersIn[2]));
	const unequal: string[] = [];
	for (const t of TABLES) if ((await tableText(dbs[0].db, t)) !== (await tableText(dbs[1].db, t))) unequal.push(t);
	console.log(
		JSON.stringify({
			chunks: work.length,
			answers: answersIn.reduce((a, b) => a + b, 0),
			A: { env: process.env.ARM_A ?? '', usPerAnswerByThird: [us(0, 0), us(0, 1), us(0, 2)], usPerAnswer: total(0) },
			B: { env: process.env.ARM_B ?? '', usPerAnswerByThird: [us(1, 0), us(1, 1), us(1, 2)], usPerAnswer: total(1) },
			equal: unequal.length === 0 ? true : unequal,
			load: [Math.round(load0 * 10) / 10, Math.round(os.loadavg()[0] * 10) / 10]
		})
	);
} finally {
	for (const o of dbs) await o.close();
}
