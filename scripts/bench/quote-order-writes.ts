/**
 * The kept quote order's write cost on SQLite (issue #19, the bulk coder's quote-order insert): on copies of one
 * generated database, some made with a different layout of `analysis_agg_quote_order` (e.g. one migrated and one
 * not), the rows of CHUNKS chunks of CHUNK answers each are deleted (not timed) and inserted back chunk by chunk
 * with the coder's own statement (coding/store-sqlite.ts: one insert from a JSON array per chunk), then rolled back.
 * Files are taken in the order given, ROUNDS times, the order reversed every other round (A B B A …), and this
 * process's CPU for the inserts alone is printed per file, with the load average beside it.
 *   QO_CHUNK=5000 QO_CHUNKS=20 QO_ROUNDS=4 [QO_WITHOUT_WALK=1] npx tsx scripts/bench/quote-order-writes.ts a.sqlite b.sqlite
 */
import os from 'node:os';
import Database from 'better-sqlite3';

const files = process.argv.slice(2);
if (!files.length) throw new Error('usage: quote-order-writes.ts FILE…');
const chunk = Number(process.env.QO_CHUNK ?? 5000);
const chunks = Number(process.env.QO_CHUNKS ?? 20);
const rounds = Number(process.env.QO_ROUNDS ?? 4);
const col = (i: number) => `json_extract(value, '$[${i}]')`;

function once(file: string): { ms: number; rows: number } {
	const db = new Database(file);
	db.pragma('cache_size = -65536');
	try {
		const max = Number((db.prepare('select max(id) as m from answer').get() as { m: number }).m);
		// The chunks sit in the middle of the answers, as a run's chunks do: not at the end of any B-tree.
		const first = Math.max(1, Math.floor(max / 2) - (chunk * chunks) / 2);
		db.exec('begin');
		const rows: unknown[][][] = [];
		for (let i = 0; i < chunks; i++) {
			const from = first + i * chunk;
			rows.push(
				(
					db
						.prepare(
							`select answer_id, theme_id, group_code, confidence from analysis_agg_quote_order
							 where answer_id >= ? and answer_id < ? order by answer_id, theme_id`
						)
						.raw()
						.all(from, from + chunk) as unknown[][]
				).map((r) => r)
			);
		}
		db.prepare('delete from analysis_agg_quote_order where answer_id >= ? and answer_id < ?').run(
			first,
			first + chunk * chunks
		);
		const insert = db.prepare(
			`insert into analysis_agg_quote_order (answer_id, theme_id, group_code, conf, confidence, source)
			 select ${col(0)}, ${col(1)}, ${col(2)}, coalesce(${col(3)}, 1), ${col(3)}, 'auto' from json_each(?)`
		);
		// QO_WITHOUT_WALK=1: the walk index dropped inside the transaction, to size its share of the insert.
		if (process.env.QO_WITHOUT_WALK === '1') db.exec('drop index analysis_agg_quote_order_walk');
		const c0 = process.cpuUsage();
		for (const r of rows) insert.run(JSON.stringify(r));
		const c = process.cpuUsage(c0);
		db.exec('rollback');
		return { ms: (c.user + c.system) / 1000, rows: rows.reduce((a, r) => a + r.length, 0) };
	} finally {
		db.close();
	}
}

const out = new Map<string, string[]>(files.map((f) => [f, []]));
for (let r = 0; r < rounds; r++) {
	const order = r % 2 ? [...files].reverse() : files;
	for (const f of order) {
		const { ms, rows } = once(f);
		const load = os.loadavg()[0].toFixed(1);
		out.get(f)!.push(`${ms.toFixed(0)} (load ${load})`);
		console.log(`round ${r + 1} ${f}: ${rows} rows inserted, ${ms.toFixed(0)} ms CPU, load ${load}`);
	}
}
for (const [f, v] of out) console.log(`${f}: ${v.join(', ')}`);
