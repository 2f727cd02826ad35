// One prepared database per engine for a whole test run, made by the projects' global setup
// (tests/global-setup-databases.ts): migrated, with the shipped consultations and their codebooks loaded.
// `preparedDatabase` (databases.ts) starts each test file's database as a copy of it, which costs a file
// copy on SQLite and a `CREATE DATABASE ... TEMPLATE` on PostgreSQL instead of running every migration and
// loading the consultations again in each file on each engine. No `vitest` import here: this runs in
// vitest's main process, before any test file.
import { openDatabase } from '../../src/lib/server/db/connect';
import { parseDatabaseUrl } from '../../src/lib/server/db/config';
import { prepareDatabase } from '../../src/lib/server/bootstrap';
import { createThrowawayDatabase, type EngineName, type ThrowawayDatabase } from '../../scripts/lib/throwaway-db';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * The URL of each engine's prepared template (PostgreSQL only when TEST_DATABASE_URL is set), and `fixtures`: the
 * run's folder of fixture templates (tests/helpers/fixture-templates.ts), made by the test files as they need them.
 */
export type PreparedTemplates = Partial<Record<EngineName | 'fixtures', string>>;

declare module 'vitest' {
	export interface ProvidedContext {
		preparedTemplates: PreparedTemplates;
	}
}

/** Makes the templates; `drop` removes them at the end of the run. Nothing is left connected to them. */
export async function makePreparedTemplates(
	pgUrl: string | undefined
): Promise<{ templates: PreparedTemplates; drop: () => Promise<void> }> {
	const made: ThrowawayDatabase[] = [];
	const fixtures = fs.mkdtempSync(path.join(os.tmpdir(), 'consult-fixture-templates-'));
	const templates: PreparedTemplates = { fixtures };
	const drop = async () => {
		await Promise.all([
			...made.map((m) => m.drop().catch(() => {})),
			...fixtureUrls(fixtures).map((url) => dropByUrl(url, pgUrl).catch(() => {}))
		]);
		fs.rmSync(fixtures, { recursive: true, force: true });
	};
	try {
		for (const engine of pgUrl ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const)) {
			const database = await createThrowawayDatabase(engine, pgUrl, 'consult_tpl');
			made.push(database);
			const open = await openDatabase(parseDatabaseUrl(database.url));
			try {
				await prepareDatabase(open);
			} finally {
				// Closed before any copy: PostgreSQL copies a template only while nobody is connected to it,
				// and closing SQLite folds its write-ahead log into the one file that is copied.
				await open.close();
			}
			templates[engine] = database.url;
		}
	} catch (error) {
		await drop();
		throw error;
	}
	return { templates, drop };
}

/** The databases of the fixture templates the run's files made (their records in the folder). */
function fixtureUrls(dir: string): string[] {
	const urls: string[] = [];
	for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.json'))) {
		try {
			const url = (JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { url: string | null }).url;
			if (url) urls.push(url);
		} catch {
			// a record half written by a file that was stopped: nothing to drop from it
		}
	}
	return urls;
}

/** Drops a throwaway database made by a test file (tests/helpers/databases.ts) from its URL alone. */
async function dropByUrl(url: string, pgUrl: string | undefined): Promise<void> {
	if (url.startsWith('file:')) {
		const dir = path.dirname(url.slice('file:'.length));
		// Only a throwaway's own folder (createThrowawayDatabase: a fresh temp folder per database).
		if (path.dirname(dir) === os.tmpdir() && path.basename(dir).startsWith('consult-t-'))
			fs.rmSync(dir, { recursive: true, force: true });
		return;
	}
	const name = new URL(url).pathname.slice(1);
	if (!pgUrl || !/^consult_t_[a-z0-9]+$/.test(name)) return;
	const admin = new pg.Client({ connectionString: pgUrl });
	await admin.connect();
	try {
		await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
	} finally {
		await admin.end();
	}
}
