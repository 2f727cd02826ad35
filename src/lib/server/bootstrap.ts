import { parseDatabaseUrl, type DbConfig } from './db/config';
import { openDatabase, type OpenDb } from './db/connect';
import { migrateToLatest } from './db/migrate';
import { readDefinitionsIn, DEFAULT_CONSULTATIONS_DIR, type LoadedDefinition } from './consultations/definition';
import { upsertConsultation } from './consultations/store';
import { installCodebooks, readCodebooks } from './coding/codebooks';
import type { Codebook } from '../themes/codebook';

export interface PrepareResult {
	applied: string[];
	loaded: string[];
}

/** A consultation file with its codebooks, all read and validated before any write. */
export interface ShippedConsultation {
	loaded: LoadedDefinition;
	codebooks: Map<string, Codebook>;
}

export function readShipped(dir = DEFAULT_CONSULTATIONS_DIR): ShippedConsultation[] {
	return readDefinitionsIn(dir).map((loaded) => ({ loaded, codebooks: readCodebooks(loaded) }));
}

/**
 * Everything start-up needs before the first request: migrate, load any shipped
 * consultation not yet in the database, and give its questions the shipped
 * codebooks where they have no themes yet.
 */
export async function prepareDatabase(
	open: OpenDb,
	shipped: ShippedConsultation[] = readShipped()
): Promise<PrepareResult> {
	const applied = await migrateToLatest(open.db);
	const loaded: string[] = [];
	for (const { loaded: def, codebooks } of shipped) {
		let row = await open.db
			.selectFrom('consultation')
			.select('id')
			.where('slug', '=', def.definition.slug)
			.executeTakeFirst();
		if (!row) {
			row = { id: (await upsertConsultation(open.db, def)).id };
			loaded.push(def.definition.slug);
		}
		await installCodebooks(open.db, row.id, codebooks);
	}
	return { applied, loaded };
}

export function configFromEnv(): DbConfig {
	return parseDatabaseUrl(process.env.DATABASE_URL);
}

/** Opens the configured database and prepares it; the one entry point for tools. */
export async function openPrepared(config = configFromEnv()): Promise<OpenDb & PrepareResult> {
	// Validate the files before opening: SQLite creates its file on open, and a bad
	// definition or codebook must stop start-up having written nothing.
	const shipped = readShipped();
	const open = await openDatabase(config);
	try {
		const result = await prepareDatabase(open, shipped);
		return { ...open, ...result };
	} catch (error) {
		await open.close();
		throw error;
	}
}
