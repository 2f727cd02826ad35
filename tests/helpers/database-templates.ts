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

/** The URL of each engine's prepared template (PostgreSQL only when TEST_DATABASE_URL is set). */
export type PreparedTemplates = Partial<Record<EngineName, string>>;

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
	const templates: PreparedTemplates = {};
	const drop = async () => {
		await Promise.all(made.map((m) => m.drop().catch(() => {})));
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
