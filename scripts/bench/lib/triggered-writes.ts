/**
 * What answer_theme's triggers cost the coder's insert on SQLite when every one of them is bypassed (issue #19, helper
 * code39): the engine's rows of SOURCE (the first 60,000 `auto` codings) inserted into a forgotten copy FILE with the
 * coder's three bypass rows in, as (row) a statement run once per row, (json) one statement per 400 rows reading
 * json_each, (multi) a 50-row `values` list; each with the triggers as they are and with them dropped (inside the
 * transaction, rolled back after each arm). CPU µs per row of this thread (Linux schedstat); arms interleaved, a
 * warm-up round first, then three. Usage: tsx scripts/bench/lib/triggered-writes.ts SOURCE.sqlite FORGOTTEN-COPY.sqlite
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
const [src, file] = process.argv.slice(2);
if (!src || !file) throw new Error('usage: triggered-writes.ts SOURCE.sqlite FORGOTTEN-COPY.sqlite');
const s = new Database(src, { readonly: true });
const rows = s
	.prepare(
		`select answer_id, theme_id, coalesce(confidence, .9) as c from answer_theme where source = 'auto' order by answer_id limit 60000`
	)
	.all() as { answer_id: number; theme_id: number; c: number }[];
s.close();
const db = new Database(file);
db.pragma('cache_size = -65536');
const cpu = () => Number(fs.readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
const tail = `on conflict (answer_id, theme_id) do update set confidence = excluded.confidence`;
const ins = db.prepare(`insert into answer_theme (answer_id, theme_id, source, applies, confidence, user_id, updated_at)
	 values (?, ?, 'auto', 1, ?, null, ?) ${tail}`);
const js = db.prepare(`insert into answer_theme (answer_id, theme_id, source, applies, confidence, user_id, updated_at)
	 select json_extract(value, '$[0]'), json_extract(value, '$[1]'), 'auto', 1, json_extract(value, '$[2]'), null, ? from json_each(?) where true ${tail}`);
const M = 50;
const multi =
	db.prepare(`insert into answer_theme (answer_id, theme_id, source, applies, confidence, user_id, updated_at)
	 values ${Array.from({ length: M }, () => `(?, ?, 'auto', 1, ?, null, ?)`).join(', ')} ${tail}`);
const trig = db
	.prepare(`select name, sql from sqlite_master where type='trigger' and tbl_name='answer_theme'`)
	.all() as { name: string; sql: string }[];
const now = new Date().toISOString();
function arm(drop: boolean, how: string) {
	db.exec('begin immediate');
	db.exec('insert into derived_trigger_bypass (id) values (1), (2), (3)');
	if (drop) for (const t of trig) db.exec(`drop trigger ${t.name}`);
	const t0 = cpu();
	if (how === 'row') for (const r of rows) ins.run(r.answer_id, r.theme_id, r.c, now);
	else if (how === 'json')
		for (let i = 0; i < rows.length; i += 400)
			js.run(now, JSON.stringify(rows.slice(i, i + 400).map((r) => [r.answer_id, r.theme_id, r.c])));
	else
		for (let i = 0; i + M <= rows.length; i += M)
			multi.run(rows.slice(i, i + M).flatMap((r) => [r.answer_id, r.theme_id, r.c, now]));
	const ns = cpu() - t0;
	db.exec('rollback');
	return ns / rows.length / 1000;
}
for (const h of ['row', 'json', 'multi']) {
	arm(false, h);
	arm(true, h);
}
for (let i = 0; i < 3; i++) {
	const out = [];
	for (const h of ['row', 'json', 'multi'])
		out.push(`${h}: trig ${arm(false, h).toFixed(2)} none ${arm(true, h).toFixed(2)}`);
	console.log(`round ${i}: ${out.join(' | ')} µs/row, load ${os.loadavg()[0].toFixed(1)}`);
}
