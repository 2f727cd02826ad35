/**
 * The report officers finish (issue #14 item 2) on both engines: narrative sections in
 * Markdown (saved, rendered safely, the method prefilled from the data and back to its
 * draft when cleared, audited without the words), and the Word and Markdown downloads,
 * read back: they hold the sections, every table with its figures, and the charts drawn
 * from those tables.
 */
import JSZip from 'jszip';
import { beforeAll, afterAll, expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { loadSmallFixture, type Fixture } from './fixtures/analysis/small';
import { parseFilters } from '../src/lib/analysis/filters';
import { DEFAULT_TICK_RULE } from '../src/lib/analysis/tables';
import { scopeOf } from '../src/lib/server/analysis/scope';
import { reportData, type ReportData } from '../src/lib/server/report/data';
import { saveSection, sectionSchema } from '../src/lib/server/report/narrative';
import { reportOutline } from '../src/lib/server/report/outline';
import { reportDocx } from '../src/lib/server/report/docx';
import { reportMarkdown } from '../src/lib/server/report/markdown-export';
import { setStar } from '../src/lib/server/review/quotes';

describeEachEngine('report narrative and downloads', (engine) => {
	let fresh: FreshDb;
	let fx: Fixture;
	const data = async (): Promise<ReportData> => {
		const filters = parseFilters(new URLSearchParams());
		return reportData(fresh.db, fx.c, filters, scopeOf(fx.c, filters), DEFAULT_TICK_RULE, '/admin/c/x');
	};
	const section = (d: ReportData, key: string) => d.narrative.find((s) => s.key === key)!;
	/** The visible text of a Word document's body, paragraph by paragraph. */
	const docxText = (xml: string) =>
		[...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((p) =>
			[...p[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)]
				.map((m) => m[1])
				.join('')
				.replace(/&amp;/g, '&')
				.replace(/&lt;/g, '<')
				.replace(/&gt;/g, '>')
				.replace(/&quot;/g, '"')
		);

	beforeAll(async () => {
		fresh = await preparedDatabase(engine);
		fx = await loadSmallFixture(fresh.db);
		await setStar(fresh.db, fx.c.id, fx.themes.friends, fx.answers.S3, true, { id: fx.officerId });
	});
	afterAll(async () => fresh?.drop());

	it('prefills the method from the data, saves Markdown rendered safely, and clears back to the draft', async () => {
		const before = await data();
		const method = section(before, 'method');
		expect(method.saved).toBe(false);
		expect(method.body).toContain(`We received ${before.headline.submissions} responses`);
		expect(method.body).toContain(before.coding.coding);
		expect(section(before, 'introduction').body).toBe('');

		const intro =
			'## Why we asked\n\nWe asked **young people** <script>alert(1)</script> [bad](javascript:alert(1))\n\n- one\n- two';
		await saveSection(fresh.db, fx.c.id, 'introduction', intro, { id: fx.officerId });
		await saveSection(fresh.db, fx.c.id, 'method', 'Our own method words.', { id: fx.officerId });
		const after = await data();
		const html = section(after, 'introduction').html;
		expect(html).toContain('<h4>Why we asked</h4>'); // "##" under the section's h2... moved below it
		expect(html).toContain('<strong>young people</strong>');
		expect(html).not.toContain('<script');
		expect(html).toContain('&lt;script&gt;');
		expect(html).not.toMatch(/href="javascript:/);
		expect(section(after, 'method').body).toBe('Our own method words.');

		await saveSection(fresh.db, fx.c.id, 'method', '', { id: fx.officerId });
		const cleared = section(await data(), 'method');
		expect(cleared.saved).toBe(false);
		expect(cleared.body).toBe(method.body);

		const audits = await fresh.db
			.selectFrom('audit_log')
			.select(['action', 'detail'])
			.where('action', 'like', 'report.section.%')
			.execute();
		expect(audits.map((a) => a.action)).toEqual(['report.section.save', 'report.section.save', 'report.section.clear']);
		expect(JSON.stringify(audits)).not.toContain('young people');
	});

	it('refuses an unknown section and an over-long one, with a message each', () => {
		const schema = sectionSchema(fx.c);
		const bad = schema.safeParse({ section: 'appendix', body: 'x' });
		expect(bad.success).toBe(false);
		expect(bad.error!.issues[0].message).toBe('Choose a section of this report');
		const long = schema.safeParse({ section: 'conclusions', body: 'x'.repeat(20_001) });
		expect(long.success).toBe(false);
		expect(long.error!.issues[0].message).toMatch(/20,000 characters or fewer/);
		expect(schema.parse({ section: 'findings:q1', body: ' text \r\n' })).toEqual({
			section: 'findings:q1',
			body: 'text'
		});
	});

	it('the Word document holds the sections, every table with its figures, and a chart image per charted table', async () => {
		await saveSection(fresh.db, fx.c.id, 'findings:q1', 'Friends and *family* mattered most.', { id: fx.officerId });
		await saveSection(fresh.db, fx.c.id, 'conclusions', 'We will act on friendships.', { id: fx.officerId });
		const d = await data();
		const parts = reportOutline(fx.c, d);
		const tables = parts.filter((p) => p.kind === 'table');
		const charts = tables.filter((p) => p.chart);
		expect(charts.length).toBeGreaterThanOrEqual(3);

		const zip = await JSZip.loadAsync(await reportDocx(parts, 'Test report'));
		const xml = await zip.file('word/document.xml')!.async('string');
		const paras = docxText(xml);
		for (const heading of [
			'Introduction',
			'Why we asked',
			'How we asked',
			'Who took part',
			'What people said',
			'Conclusions'
		])
			expect(paras).toContain(heading);
		expect(paras).toContain('We will act on friendships.');
		expect(paras).toContain('Friends and family mattered most.');
		expect(paras.join('\n')).not.toContain('Change the threshold');
		expect(paras).toContain('“friends”');

		// Every table, in order, with its caption and each cell's text.
		expect((xml.match(/<w:tbl>/g) ?? []).length).toBe(tables.length);
		const tableXml = [...xml.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>/g)].map((m) => docxText(m[0]));
		tables.forEach((p, i) => {
			expect(paras).toContain(p.table.caption);
			const expected = [
				p.table.rowHeading,
				...p.table.columns.map((c) => c.label),
				...p.table.rows.flatMap((r) => [r.label, ...r.cells.map((c) => (p.table.ticks ? (c.tick ? '✓' : '') : c.text))])
			];
			expect(tableXml[i]).toEqual(expected);
		});

		// One SVG and one PNG fallback per chart; the SVG labels each bar with its table's figure.
		const media = Object.keys(zip.files).filter((f) => f.startsWith('word/media/'));
		expect(media.filter((f) => f.endsWith('.png')).length).toBe(charts.length);
		expect(media.filter((f) => f.endsWith('.svg')).length).toBe(charts.length);
		const districts = charts.find((p) => p.table.id === 'districts')!;
		const svgs = await Promise.all(media.filter((f) => f.endsWith('.svg')).map((f) => zip.file(f)!.async('string')));
		const svg = svgs.find((s) => s.includes(districts.table.caption.replace(/&/g, '&amp;')))!;
		// Each bar labelled with its table cell's text; each hidden cell drawn hatched, not as a zero.
		const column = districts.table.rows.filter((r) => !r.kind && !r.key.startsWith('_')).map((r) => r.cells[0]);
		const labels = [...svg.matchAll(/<text x="(\d+\.\d)"[^>]*>([^<]*)<\/text>/g)].map((m) =>
			m[2].replace(/&lt;/g, '<')
		);
		expect(labels).toEqual(column.map((c) => (c.n === null ? `${c.text} (hidden)` : c.text)));
		expect((svg.match(/url\(#hatch\)/g) ?? []).length).toBe(column.filter((c) => c.n === null).length);
		expect(column.some((c) => c.n === null)).toBe(true);
		const png = await zip.file(media.find((f) => f.endsWith('.png'))!)!.async('uint8array');
		expect([...png.slice(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
	});

	it('the Markdown download holds the same sections and tables, and the charts as embedded SVG', async () => {
		const d = await data();
		const parts = reportOutline(fx.c, d);
		const md = reportMarkdown(parts);
		expect(md).toContain('## Introduction');
		expect(md).toContain('### Why we asked');
		expect(md).toContain('We asked **young people**');
		expect(md).toContain('\\<script\\>');
		const tables = parts.filter((p) => p.kind === 'table');
		expect((md.match(/^\| .* \|$\n^\| ---/gm) ?? []).length).toBe(tables.length);
		expect((md.match(/data:image\/svg\+xml;base64,/g) ?? []).length).toBe(tables.filter((p) => p.chart).length);
		const types = tables.find((p) => p.table.id === d.groups[0].id)!;
		for (const r of types.table.rows) expect(md).toContain(`| ${r.label.replace(/([\\`*_[\]<>|#])/g, '\\$1')} |`);
	});
});
