// A throwaway database for one test file, bench or crash-test run: a temp SQLite
// file, or a new PostgreSQL database on the given server. Only what was created
// here is dropped.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export type EngineName = 'sqlite' | 'postgres';

export interface ThrowawayDatabase {
	/** A DATABASE_URL naming it (file:... or postgres://...). */
	url: string;
	/** Removes the file or drops the database (WITH (FORCE): connections left open are ended). */
	drop(): Promise<void>;
}

/**
 * `copyOf` starts it as a copy of another throwaway database of the same engine (closed, nobody connected):
 * the SQLite file is copied, or PostgreSQL's `CREATE DATABASE ... TEMPLATE` copies the database.
 */
export async function createThrowawayDatabase(
	engine: EngineName,
	pgUrl: string | undefined,
	prefix = 'consult_t',
	copyOf?: { url: string }
): Promise<ThrowawayDatabase> {
	if (engine === 'sqlite') {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix.replace(/_/g, '-')}-`));
		const file = path.join(dir, 'test.sqlite');
		if (copyOf) fs.copyFileSync(copyOf.url.replace(/^file:/, ''), file);
		return {
			url: `file:${file}`,
			drop: async () => fs.rmSync(dir, { recursive: true, force: true })
		};
	}
	if (!pgUrl) throw new Error('no PostgreSQL server given (TEST_DATABASE_URL is not set)');
	const name = `${prefix}_${randomBytes(6).toString('hex')}`;
	const template = copyOf ? new URL(copyOf.url).pathname.slice(1) : null;
	if (template !== null && !/^[a-z0-9_]+$/.test(template)) throw new Error(`not a throwaway database: ${copyOf!.url}`);
	const admin = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 5000 });
	await admin.connect();
	try {
		await admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
	} finally {
		await admin.end();
	}
	const url = new URL(pgUrl);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		drop: async () => {
			const c = new pg.Client({ connectionString: pgUrl });
			await c.connect();
			try {
				await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
			} finally {
				await c.end();
			}
		}
	};
}

/** Whether a PostgreSQL server answers at this address: null if it does, else the reason. */
export async function postgresReachable(pgUrl: string): Promise<string | null> {
	const c = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 3000 });
	try {
		await c.connect();
		await c.query('select 1');
		return null;
	} catch (error) {
		return error instanceof Error ? error.message : String(error);
	} finally {
		await c.end().catch(() => {});
	}
}
