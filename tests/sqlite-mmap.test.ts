/**
 * SQLITE_MMAP_MB (connect.ts): memory-mapped reads for the SQLite connection, off unless set. The mapped pages count
 * in the server's resident memory (an export of every answer maps the whole file), so it is a deployment's choice;
 * docs/analysis.md has the A/B (quotes of the "other" group, a million answers).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDatabase } from '../src/lib/server/db/connect';

describe('SQLite memory-mapped reads', () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmap-'));
	afterEach(() => {
		delete process.env.SQLITE_MMAP_MB;
	});
	afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

	const mmapOf = async (name: string, mb: string | undefined) => {
		if (mb === undefined) delete process.env.SQLITE_MMAP_MB;
		else process.env.SQLITE_MMAP_MB = mb;
		const open = await openDatabase({ kind: 'sqlite', path: path.join(dir, `${name}.sqlite`) }, { create: true });
		try {
			const r = await sql<{ mmap_size: number }>`pragma mmap_size`.execute(open.db);
			return Number(r.rows[0].mmap_size);
		} finally {
			await open.close();
		}
	};

	it('maps the file up to SQLITE_MMAP_MB megabytes, and not at all without it', async () => {
		expect(await mmapOf('set', '64')).toBe(64 * 1024 * 1024);
		expect(await mmapOf('unset', undefined)).toBe(0);
		expect(await mmapOf('zero', '0')).toBe(0);
		expect(await mmapOf('junk', 'lots')).toBe(0);
	});
});
