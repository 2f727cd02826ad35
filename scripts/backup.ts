// npm run backup [-- PATH]: a consistent copy of the SQLite database named by
// DATABASE_URL (default db/consult.sqlite), taken with SQLite's online backup
// while the server keeps running, to db/backups/consult-<timestamp>.sqlite or PATH
// (a file name, or an existing folder). Prints the path and size.
// For PostgreSQL it refuses and prints the pg_dump command to use instead.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { ConfigError, parseDatabaseUrl } from '../src/lib/server/db/config';
import { runMain, UsageError } from './lib/cli';

export const DEFAULT_BACKUP_DIR = 'db/backups';

export interface BackupResult {
	path: string;
	bytes: number;
	submissions: number;
	ms: number;
}

/** consult-2026-11-22T08-30-05Z.sqlite: sortable, and safe in every file system. */
export function backupFileName(now = new Date()): string {
	return `consult-${now
		.toISOString()
		.replace(/\.\d{3}Z$/, 'Z')
		.replace(/:/g, '-')}.sqlite`;
}

/** Where the copy goes: the given file, a new file in the given folder, or db/backups/. */
export function backupTarget(arg: string | undefined, now = new Date()): string {
	if (!arg) return path.resolve(DEFAULT_BACKUP_DIR, backupFileName(now));
	const resolved = path.resolve(arg);
	if (arg.endsWith('/') || (fs.existsSync(resolved) && fs.statSync(resolved).isDirectory())) {
		return path.join(resolved, backupFileName(now));
	}
	return resolved;
}

/**
 * Copies a live SQLite database with the online backup API. The copy is taken
 * in one step from one read transaction, so it is a consistent snapshot even
 * while the server writes (in WAL mode readers never block the writer, and the
 * writer never blocks this reader). The copy is then checked and counted.
 */
export async function backupSqlite(source: string, target: string): Promise<BackupResult> {
	if (!fs.existsSync(source)) throw new ConfigError(`There is no SQLite database at ${source}`);
	if (fs.existsSync(target))
		throw new ConfigError(`${target} already exists: choose another name, backups are never overwritten`);
	fs.mkdirSync(path.dirname(target), { recursive: true });
	const started = performance.now();
	const db = new Database(source, { readonly: true, fileMustExist: true });
	try {
		db.pragma('busy_timeout = 5000');
		// Copy every remaining page in one step: a step-by-step copy restarts whenever
		// another process writes between steps, and could chase a busy server forever.
		await db.backup(target, { progress: () => 0x7fffffff });
	} catch (error) {
		fs.rmSync(target, { force: true });
		throw new ConfigError(`The backup failed: ${(error as Error).message}`);
	} finally {
		db.close();
	}
	const copy = new Database(target, { fileMustExist: true });
	let submissions = 0;
	try {
		const check = copy.pragma('quick_check', { simple: true });
		if (check !== 'ok') throw new ConfigError(`The backup at ${target} failed its integrity check: ${String(check)}`);
		const hasTable = copy.prepare("select 1 from sqlite_master where type = 'table' and name = 'submission'").get();
		if (hasTable) submissions = (copy.prepare('select count(*) as n from submission').get() as { n: number }).n;
		// A backup is one self-contained file: fold any WAL back in and leave rollback mode,
		// so copying the file alone is always enough.
		copy.pragma('journal_mode = DELETE');
	} finally {
		copy.close();
	}
	return { path: target, bytes: fs.statSync(target).size, submissions, ms: performance.now() - started };
}

/** The command to back up a PostgreSQL database (the URL is left in the environment, never printed). */
export function pgDumpCommand(now = new Date()): string {
	const file = path.join(DEFAULT_BACKUP_DIR, backupFileName(now).replace(/\.sqlite$/, '.dump'));
	return `pg_dump --format=custom --no-owner --no-privileges --file=${file} "$DATABASE_URL"`;
}

function formatBytes(n: number): string {
	if (n < 1024) return `${n} bytes`;
	if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
	return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function isMain(): boolean {
	return process.argv[1] !== undefined && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url;
}

if (isMain()) {
	runMain(async () => {
		const args = process.argv.slice(2);
		if (args.length > 1 || args.some((a) => a.startsWith('-'))) throw new UsageError('usage: npm run backup [-- PATH]');
		const config = parseDatabaseUrl(process.env.DATABASE_URL);
		if (config.kind === 'postgres') {
			console.error('npm run backup copies SQLite databases only; DATABASE_URL names a PostgreSQL database.');
			console.error('Back it up with pg_dump (same major version as the server or newer), for example:');
			console.error('');
			console.error(`  mkdir -p ${DEFAULT_BACKUP_DIR} && ${pgDumpCommand()}`);
			console.error('');
			console.error('and restore it into a new, empty database with:');
			console.error('');
			console.error(
				'  createdb consult_restored && pg_restore --no-owner --no-privileges --exit-on-error --dbname=postgres://USER@HOST:5432/consult_restored FILE.dump'
			);
			console.error('');
			console.error('See docs/durability.md.');
			return 1;
		}
		if (config.path === ':memory:')
			throw new ConfigError('DATABASE_URL names an in-memory database: there is nothing to back up');
		const result = await backupSqlite(config.path, backupTarget(args[0]));
		console.log(`Backed up ${config.path}`);
		console.log(`to ${result.path}`);
		console.log(
			`${formatBytes(result.bytes)}, ${result.submissions} submissions, integrity ok, in ${(result.ms / 1000).toFixed(1)} s`
		);
	});
}
