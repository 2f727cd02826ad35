import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/lib/server/db/connect';
import { prepareDatabase } from '../../src/lib/server/bootstrap';
import { loadDemo } from '../../src/lib/server/demo/load';
import { parseDatabaseUrl } from '../../src/lib/server/db/config';

/** Migration time and demo-data load time on a fresh SQLite file (and PostgreSQL when BENCH_DATABASE_URL is set). */
export async function run(log: (line: string) => void): Promise<void> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consult-bench-'));
	const targets = [parseDatabaseUrl(`file:${path.join(dir, 'bench.sqlite')}`)];
	const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
	if (pgUrl) targets.push(parseDatabaseUrl(pgUrl));
	for (const config of targets) {
		const open = await openDatabase(config);
		try {
			if (config.kind === 'postgres') {
				// Start from an empty schema so the timing is of a fresh install.
				await open.db.schema.dropSchema('bench_fresh').ifExists().cascade().execute();
				await open.close();
				const url = new URL(config.url);
				url.searchParams.set('options', '-c search_path=bench_fresh');
				const reopened = await openDatabase({ kind: 'postgres', url: url.toString() });
				await reopened.db.schema.createSchema('bench_fresh').execute();
				await timeBoth(reopened, log, 'PostgreSQL');
				await reopened.db.schema.dropSchema('bench_fresh').cascade().execute();
				await reopened.close();
				continue;
			}
			await timeBoth(open, log, 'SQLite');
		} finally {
			if (config.kind === 'sqlite') await open.close();
		}
	}
	fs.rmSync(dir, { recursive: true, force: true });
}

async function timeBoth(open: Awaited<ReturnType<typeof openDatabase>>, log: (line: string) => void, label: string) {
	let t = performance.now();
	await prepareDatabase(open);
	log(`${label}: migrate + load consultation on an empty database: ${(performance.now() - t).toFixed(0)} ms`);
	t = performance.now();
	const result = await loadDemo(open.db);
	const ms = performance.now() - t;
	log(
		`${label}: demo data load: ${result.created} submissions in ${(ms / 1000).toFixed(2)} s (${((result.created / ms) * 1000).toFixed(0)} submissions/s)`
	);
}
