/**
 * A test fixture made once per run and engine, and copied for each file that asks for it (the way each file's
 * database is already a copy of the run's prepared template: tests/helpers/database-templates.ts).
 *
 * The demo-like data (tests/fixtures/analysis/demo-like.ts) is loaded by some twenty-five files on each engine, and
 * the small fixture under each random consultation (tests/helpers/disclosure-random.ts) by some forty tests; loading
 * them saves submissions one by one through the app (a few seconds per file and engine under load, most of it
 * PostgreSQL's triggers), while a copy is a file copy on SQLite and a `CREATE DATABASE … TEMPLATE` on PostgreSQL.
 * The copy holds the same rows (ids and data version included) as the load gives, and the fixture's value (ids of
 * themes, answers, the consultation's view) is the one the load returned, passed on as JSON.
 *
 * The first file to ask makes it (an exclusive lock file in the run's fixture folder) and writes its record; a file
 * asking meanwhile waits for the record (at most a minute, then loads its own). A fixture whose value does not come
 * back from JSON unchanged is not kept (each file loads its own). The run's global setup drops the templates at the
 * end (database-templates.ts). Outside a run with that setup, or with TEST_FIXTURE_TEMPLATES=off, every file loads
 * its own, as before.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { inject } from 'vitest';
import { copyOfDatabase, preparedDatabase, type Engine, type FreshDb } from './databases';
import { envSwitch } from '../../src/lib/analysis/switches';

/** A made template: its database and the fixture's value. `url` null: not kept (each file loads its own). */
export interface FixtureRecord<T> {
	url: string | null;
	value?: T;
}

/** How long a file waits for another file's template before loading its own. */
const WAIT_MS = 60_000;

function fixturesDir(): string | undefined {
	if (envSwitch('TEST_FIXTURE_TEMPLATES') === 'off') return undefined;
	try {
		return inject('preparedTemplates')?.fixtures;
	} catch {
		return undefined; // not inside a vitest worker
	}
}

/** The run's template of fixture `name` on `engine`, made by `build` on a prepared database if no file has yet. */
async function templateOf<T>(
	dir: string,
	engine: Engine['name'],
	name: string,
	build: (fresh: FreshDb) => Promise<T>
): Promise<FixtureRecord<T> | null> {
	const base = path.join(dir, `${engine}-${name}`);
	const record = `${base}.json`;
	const read = (): FixtureRecord<T> | undefined => {
		try {
			return JSON.parse(fs.readFileSync(record, 'utf8')) as FixtureRecord<T>;
		} catch {
			return undefined;
		}
	};
	let lock: number | undefined;
	try {
		lock = fs.openSync(`${base}.lock`, 'wx');
	} catch {
		lock = undefined;
	}
	if (lock === undefined) {
		// Another file is making it, or has: its record is written once the template is closed.
		const deadline = Date.now() + WAIT_MS;
		for (;;) {
			const r = read();
			if (r) return r;
			if (Date.now() > deadline) return null;
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
	}
	fs.closeSync(lock);
	let made: FixtureRecord<T> = { url: null };
	try {
		const fresh = await preparedDatabase(engine);
		try {
			const value = await build(fresh);
			// Closed before any copy: PostgreSQL copies a template only while nobody is connected to it, and closing
			// SQLite folds its write-ahead log into the one file that is copied.
			await fresh.close();
			if (isDeepStrictEqual(JSON.parse(JSON.stringify(value)), value)) made = { url: fresh.url, value };
			else await fresh.drop();
		} catch (error) {
			await fresh.drop();
			throw error;
		}
	} finally {
		// Written in every case, so that no file waits for a template that will not come.
		fs.writeFileSync(`${base}.tmp`, JSON.stringify(made));
		fs.renameSync(`${base}.tmp`, record);
	}
	return made;
}

/**
 * A fresh database holding fixture `name` (what `build` loads on a prepared database), and the value `build`
 * returned: a copy of the run's template of it when there is one, else loaded here.
 */
export async function fixtureDatabase<T>(
	engine: Engine['name'],
	name: string,
	build: (fresh: FreshDb) => Promise<T>
): Promise<{ fresh: FreshDb; value: T }> {
	const dir = fixturesDir();
	const made = dir ? await templateOf(dir, engine, name, build) : null;
	if (made?.url) return { fresh: await copyOfDatabase(engine, made.url), value: made.value as T };
	const fresh = await preparedDatabase(engine);
	try {
		return { fresh, value: await build(fresh) };
	} catch (error) {
		await fresh.drop();
		throw error;
	}
}
