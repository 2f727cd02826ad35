import { describe, inject } from 'vitest';
import { openDatabase, type OpenDb } from '../../src/lib/server/db/connect';
import { parseDatabaseUrl } from '../../src/lib/server/db/config';
import { createThrowawayDatabase } from '../../scripts/lib/throwaway-db';
import type { PreparedTemplates } from './database-templates';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

export interface Engine {
	name: 'sqlite' | 'postgres';
	available: boolean;
}

/** The engines every data test runs on; PostgreSQL is skipped only when TEST_DATABASE_URL is unset. */
export const ENGINES: Engine[] = [
	{ name: 'sqlite', available: true },
	{ name: 'postgres', available: Boolean(TEST_DATABASE_URL) }
];

/** `describe` once per engine, marked skipped where the engine is unavailable. */
export function describeEachEngine(title: string, body: (engine: Engine['name']) => void) {
	for (const engine of ENGINES) {
		describe.skipIf(!engine.available)(`${title} [${engine.name}]`, () => body(engine.name));
	}
}

export interface FreshDb extends OpenDb {
	/** A DATABASE_URL naming this same database, for child processes. */
	url: string;
	drop(): Promise<void>;
}

/** A brand-new empty database (a temp SQLite file or a new PostgreSQL database), open. */
export async function emptyDatabase(engine: Engine['name']): Promise<FreshDb> {
	return openThrowaway(engine);
}

async function openThrowaway(engine: Engine['name'], copyOf?: string): Promise<FreshDb> {
	const made = await createThrowawayDatabase(
		engine,
		TEST_DATABASE_URL,
		undefined,
		copyOf ? { url: copyOf } : undefined
	);
	const open = await openDatabase(parseDatabaseUrl(made.url)).catch(async (error) => {
		await made.drop();
		throw error;
	});
	return {
		...open,
		url: made.url,
		drop: async () => {
			await open.close().catch(() => {});
			await made.drop();
		}
	};
}

/** A fresh database that starts as a copy of another (closed, nobody connected: a run's template), open. */
export async function copyOfDatabase(engine: Engine['name'], url: string): Promise<FreshDb> {
	return openThrowaway(engine, url);
}

/** The run's prepared template for this engine, if the project's global setup made one. */
function templateFor(engine: Engine['name']): string | undefined {
	// TEST_DB_TEMPLATES=off prepares each file's database from scratch (to compare, or to rule the copy out).
	if (process.env.TEST_DB_TEMPLATES === 'off') return undefined;
	let templates: PreparedTemplates | undefined;
	try {
		templates = inject('preparedTemplates');
	} catch {
		templates = undefined; // not inside a vitest worker
	}
	return templates?.[engine];
}

/**
 * A fresh database, migrated, with the shipped consultations loaded: a copy of the run's prepared template
 * (tests/helpers/database-templates.ts), or prepared here when the run has none.
 */
export async function preparedDatabase(engine: Engine['name']): Promise<FreshDb> {
	const template = templateFor(engine);
	if (template) return openThrowaway(engine, template);
	// Loaded only here: migrations, consultation files and codebooks are a large module graph that every test file
	// importing this helper would otherwise evaluate, though a run with templates never calls it.
	const { prepareDatabase } = await import('../../src/lib/server/bootstrap');
	const fresh = await emptyDatabase(engine);
	try {
		await prepareDatabase(fresh);
	} catch (error) {
		await fresh.drop();
		throw error;
	}
	return fresh;
}

/** The file behind a fresh SQLite database (for a raw better-sqlite3 handle or a file copy). */
export function sqlitePath(fresh: { url: string }): string {
	if (!fresh.url.startsWith('file:')) throw new Error(`not a SQLite database: ${fresh.url}`);
	return fresh.url.slice('file:'.length);
}
