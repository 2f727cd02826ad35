/**
 * The CSV export of all answers sends its first rows at once (issue #19: first bytes within a second at a
 * million answers), and its bytes are what they were.
 * - The CSV module does not load exceljs: loading it took about a second of CPU (ten seconds and more of
 *   wall time at the shared machine's load), which every server's first CSV export paid before its first
 *   byte while the XLSX writer lived in the same module.
 * - The first row reaches the reader after one page of reads (the page and its themes), not after a pass
 *   over all the answers.
 * - On the demo data the whole export is byte for byte the output recorded before this change (its SHA-256),
 *   on both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { KyselyPlugin } from 'kysely';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { DEMO_SLUG, loadDemo } from '../src/lib/server/demo/load';
import { getConsultation } from '../src/lib/server/consultations/queries';
import { parseFilters } from '../src/lib/analysis/filters';
import { scopeOf } from '../src/lib/server/analysis/scope';
import { answersCsvStream } from '../src/lib/server/exports/answers';

/** SHA-256 of the demo data's CSV of all answers, as exported before the CSV module was split (2 Dec 2026). */
const DEMO_CSV_SHA256 = 'd266ccffa6799167653cec0a3686b4fd35bfaa7555721fa6af2c2da25481b005';

describe('the CSV export module', () => {
	it('does not load exceljs (a second of CPU before the first byte)', () => {
		const code = [
			"import { createRequire } from 'node:module';",
			"await import('./src/lib/server/exports/answers.ts');",
			'const require = createRequire(import.meta.url);',
			"console.log(JSON.stringify(Object.keys(require.cache).filter((k) => k.includes('/node_modules/exceljs/')).length));"
		].join('\n');
		const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
			cwd: path.resolve(__dirname, '..'),
			encoding: 'utf8',
			timeout: 120_000
		});
		expect(r.status, r.stderr).toBe(0);
		expect(JSON.parse(r.stdout.trim().split('\n').at(-1)!)).toBe(0);
	}, 150_000);
});

describeEachEngine('the CSV export of the demo answers', (engine) => {
	let fresh: FreshDb;
	beforeAll(async () => {
		fresh = await preparedDatabase(engine);
		await loadDemo(fresh.db);
	}, 300_000);
	afterAll(() => fresh?.drop());

	const demo = async () => {
		const c = (await getConsultation(fresh.db, DEMO_SLUG))!;
		return { c, scope: scopeOf(c, parseFilters(new URLSearchParams(''))) };
	};

	it('sends its first rows after one page of reads', async () => {
		const { c, scope } = await demo();
		let queries = 0;
		const counting: KyselyPlugin = {
			transformQuery: (args) => {
				queries++;
				return args.node;
			},
			transformResult: async (args) => args.result
		};
		const reader = answersCsvStream(fresh.db.withPlugin(counting), c, scope).getReader();
		const header = await reader.read();
		expect(Buffer.from(header.value!).toString('utf8')).toMatch(/^\uFEFFSubmission reference,/);
		const rows = await reader.read();
		expect(rows.done).toBe(false);
		// One page of rows (2,000 at most; the demo has more answers than that), not the whole export at once.
		const lines = Buffer.from(rows.value!).toString('utf8').split('\r\n').length;
		expect(lines).toBeGreaterThan(100);
		expect(lines).toBeLessThanOrEqual(2001);
		// The page of answers and the page's themes: nothing read ahead of the first rows.
		expect(queries).toBeLessThanOrEqual(2);
		await reader.cancel();
	});

	it('is byte for byte the export recorded before', async () => {
		const { c, scope } = await demo();
		const hash = createHash('sha256');
		let bytes = 0;
		const reader = answersCsvStream(fresh.db, c, scope).getReader();
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			hash.update(value);
			bytes += value.byteLength;
		}
		expect(bytes).toBeGreaterThan(1_000_000);
		expect(hash.digest('hex')).toBe(DEMO_CSV_SHA256);
	}, 120_000);
});
