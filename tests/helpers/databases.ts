import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe } from 'vitest';
import { openDatabase, type OpenDb } from '../../src/lib/server/db/connect';
import { prepareDatabase } from '../../src/lib/server/bootstrap';

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

/** A brand-new empty database (a temp SQLite file or a new PostgreSQL database). */
export async function emptyDatabase(engine: Engine['name']): Promise<FreshDb> {
	if (engine === 'sqlite') {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consult-test-'));
		const file = path.join(dir, 'test.sqlite');
		const open = await openDatabase({ kind: 'sqlite', path: file });
		return {
			...open,
			url: `file:${file}`,
			drop: async () => {
				await open.close().catch(() => {});
				fs.rmSync(dir, { recursive: true, force: true });
			}
		};
	}
	if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
	const name = `consult_t_${randomBytes(6).toString('hex')}`;
	const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
	await admin.connect();
	await admin.query(`CREATE DATABASE ${name}`);
	await admin.end();
	const url = new URL(TEST_DATABASE_URL);
	url.pathname = `/${name}`;
	const open = await openDatabase({ kind: 'postgres', url: url.toString() });
	return {
		...open,
		url: url.toString(),
		drop: async () => {
			await open.close().catch(() => {});
			const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
			await c.connect();
			await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
			await c.end();
		}
	};
}

/** A fresh database, migrated, with the shipped consultations loaded. */
export async function preparedDatabase(engine: Engine['name']): Promise<FreshDb> {
	const fresh = await emptyDatabase(engine);
	try {
		await prepareDatabase(fresh);
	} catch (error) {
		await fresh.drop();
		throw error;
	}
	return fresh;
}
