/**
 * Rows written per submission on SQLite (`total_changes()`: every row inserted or updated by the statements and their
 * triggers), deterministic where times on a shared machine are not. submitResponse in-process, batches of 10, with
 * the bench's one-perspective submission and with one of two respondent types (young_person and child, the case
 * migration 2026-12-10-0300 is about). SQL_DOWN=migration-name: run that migration's `down` after migrating, to
 * compare the schema before it on the same build. ROW_WRITES_RECODE=1: then recode every question with themes (the coder's
 * chunks, recode.ts) and print the rows written per recode and per answer recoded (the coding side of the same count).
 * Usage: tsx scripts/bench/lib/row-writes.ts [submissions]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { openPrepared } from '../../../src/lib/server/bootstrap';
import { migrations } from '../../../src/lib/server/db/migrations';
import { submitResponse } from '../../../src/lib/server/survey/submit';
import { recodeQuestion } from '../../../src/lib/server/coding/recode';
import { SLUG, submissionBody } from './submissions';

const count = Number(process.argv[2] ?? 1000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consult-rows-'));
const open = await openPrepared({ kind: 'sqlite', path: path.join(dir, 'rows.sqlite') });
try {
	if (process.env.SQL_DOWN) {
		const m = migrations[process.env.SQL_DOWN];
		if (!m?.down) throw new Error(`no migration ${process.env.SQL_DOWN} with a down`);
		await m.down(open.db);
	}
	const twoTypes = () =>
		JSON.stringify({
			id: randomUUID(),
			district: 'wychavon',
			perspectives: [
				{ group: 'young_person', answers: { q1: 'Somewhere safe to meet friends' } },
				{ group: 'child', answers: { q2: 'A park with a skate ramp' } }
			],
			about: { ageBand: '18-24' }
		});
	// total_changes() counts per connection; the writer's transactions run on this one (SQLite has one).
	const changes = async () =>
		Number((await sql<{ n: number }>`select total_changes() as n`.execute(open.db)).rows[0].n);
	for (const [name, body] of [
		['one perspective (the bench)', submissionBody],
		['two respondent types', twoTypes]
	] as const) {
		const before = await changes();
		let left = count;
		await Promise.all(
			Array.from({ length: 10 }, async () => {
				while (left-- > 0) {
					const r = await submitResponse(open.db, SLUG, JSON.parse(body()));
					if (r.kind !== 'created') throw new Error(`not created: ${r.kind}`);
				}
			})
		);
		console.log(`${name}: ${((await changes()) - before) / count} rows written per submission`);
	}
	if (process.env.ROW_WRITES_RECODE) {
		const questions = await open.db
			.selectFrom('theme')
			.select('question_id')
			.distinct()
			.orderBy('question_id')
			.execute();
		for (const { question_id } of questions) {
			for (const pass of ['first', 'again']) {
				const before = await changes();
				const n = await recodeQuestion(open.db, question_id);
				const rows = (await changes()) - before;
				console.log(
					`recode of question ${question_id} (${pass}): ${n} answers, ${rows} rows written, ${(rows / Math.max(n, 1)).toFixed(2)} per answer`
				);
			}
		}
	}
} finally {
	await open.close();
	fs.rmSync(dir, { recursive: true, force: true });
}
