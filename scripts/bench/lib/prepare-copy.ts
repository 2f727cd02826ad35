import fs from 'node:fs';
import { openPrepared } from '../../../src/lib/server/bootstrap';
import { migrations } from '../../../src/lib/server/db/migrations';

/**
 * A copy of a SQLite database migrated by this checkout, optionally with one migration's `down` run after (the
 * schema before it), for A/B runs of a bench tool on the same data, e.g. coding with and without a migration's
 * triggers (`coding-run.ts file:COPY`). Run it from each checkout compared.
 * Usage: tsx scripts/bench/lib/prepare-copy.ts SOURCE.sqlite COPY.sqlite [migration-name]
 */
const [source, copy, down] = process.argv.slice(2);
if (!source || !copy) throw new Error('usage: prepare-copy.ts SOURCE.sqlite COPY.sqlite [migration-name]');
const migration = down === undefined ? undefined : migrations[down];
if (down !== undefined && !migration?.down) throw new Error(`no migration ${down} with a down`);
fs.copyFileSync(source, copy);
const open = await openPrepared({ kind: 'sqlite', path: copy });
if (migration?.down) await migration.down(open.db);
console.log(`ready: ${copy}${down ? ` (after ${down}'s down)` : ''}`);
process.exit(0);
