import path from 'node:path';

/** Where the data lives, decided once from DATABASE_URL. */
export type DbConfig = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

export const DEFAULT_SQLITE_PATH = 'db/consult.sqlite';

/** Thrown for configuration mistakes; start-up prints only its message. */
export class ConfigError extends Error {}

/**
 * `file:PATH` (or nothing) is the embedded SQLite default; `postgres://` or
 * `postgresql://` runs the same app on PostgreSQL. Anything else is refused
 * rather than guessed at, so a typo never creates a stray database.
 */
export function parseDatabaseUrl(url: string | undefined, cwd = process.cwd()): DbConfig {
	const value = (url ?? '').trim();
	if (value === '') return { kind: 'sqlite', path: path.resolve(cwd, DEFAULT_SQLITE_PATH) };
	if (value.startsWith('file:')) {
		const file = value.slice('file:'.length).replace(/^\/\/(?=\/)/, '');
		if (file === '') throw new ConfigError('DATABASE_URL "file:" needs a path, for example file:db/consult.sqlite');
		return { kind: 'sqlite', path: file === ':memory:' ? file : path.resolve(cwd, file) };
	}
	if (/^postgres(ql)?:\/\//.test(value)) return { kind: 'postgres', url: value };
	const scheme = value.includes(':') ? value.slice(0, value.indexOf(':') + 1) : value;
	throw new ConfigError(
		`DATABASE_URL has an unknown scheme "${scheme}": use file:PATH for SQLite or postgres://... for PostgreSQL`
	);
}

export function describe(config: DbConfig): string {
	if (config.kind === 'sqlite') return `SQLite at ${config.path}`;
	const u = new URL(config.url);
	return `PostgreSQL at ${u.hostname}:${u.port || 5432}${u.pathname}`;
}
