import { parseDatabaseUrl, type DbConfig } from './db/config';
import { openDatabase, type OpenDb } from './db/connect';
import { migrateToLatest } from './db/migrate';
import { readDefinitionsIn, DEFAULT_CONSULTATIONS_DIR, type LoadedDefinition } from './consultations/definition';
import { upsertConsultation } from './consultations/store';

export interface PrepareResult {
	applied: string[];
	loaded: string[];
}

/**
 * Everything start-up needs before the first request: validate the shipped
 * consultation files (before touching the database, so a bad file writes
 * nothing), migrate, then load any consultation not yet in the database.
 */
export async function prepareDatabase(
	open: OpenDb,
	definitions: LoadedDefinition[] = readDefinitionsIn(DEFAULT_CONSULTATIONS_DIR)
): Promise<PrepareResult> {
	const applied = await migrateToLatest(open.db);
	const loaded: string[] = [];
	for (const def of definitions) {
		const exists = await open.db
			.selectFrom('consultation')
			.select('id')
			.where('slug', '=', def.definition.slug)
			.executeTakeFirst();
		if (!exists) {
			await upsertConsultation(open.db, def);
			loaded.push(def.definition.slug);
		}
	}
	return { applied, loaded };
}

export function configFromEnv(): DbConfig {
	return parseDatabaseUrl(process.env.DATABASE_URL);
}

/** Opens the configured database and prepares it; the one entry point for tools. */
export async function openPrepared(config = configFromEnv()): Promise<OpenDb & PrepareResult> {
	// Validate the files before opening: SQLite creates its file on open, and a bad
	// definition must stop start-up having written nothing.
	const definitions = readDefinitionsIn(DEFAULT_CONSULTATIONS_DIR);
	const open = await openDatabase(config);
	try {
		const result = await prepareDatabase(open, definitions);
		return { ...open, ...result };
	} catch (error) {
		await open.close();
		throw error;
	}
}
