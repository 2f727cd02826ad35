/** The report's downloads (Word and Markdown): the same data and outline as the report page. */
import type { Db } from '../db/connect';
import type { ConsultationView } from '../consultations/queries';
import type { Filters } from '../../analysis/filters';
import { parseTickRule } from '../../analysis/filters';
import type { Scope } from '../analysis/scope';
import { audit } from '../audit';
import { reportData } from './data';
import { reportOutline } from './outline';
import { reportMarkdown } from './markdown-export';
import { reportDocx } from './docx';

interface Context {
	db: Db;
	consultation: ConsultationView;
	filters: Filters;
	scope: Scope;
	base: string;
	user: { id: number };
}

export async function reportDownload(ctx: Context, url: URL, format: 'docx' | 'md'): Promise<Response> {
	const { db, consultation: c, filters, scope, base, user } = ctx;
	const data = await reportData(db, c, filters, scope, parseTickRule(url.searchParams), base);
	const parts = reportOutline(c, data);
	const name = `${c.slug}-report.${format}`;
	await audit(db, {
		userId: user.id,
		action: 'report.download',
		entity: 'consultation',
		entityId: c.id,
		detail: { format }
	});
	const body =
		format === 'docx'
			? new Uint8Array(await reportDocx(parts, `${c.title}: consultation report`))
			: reportMarkdown(parts);
	return new Response(body, {
		headers: {
			'content-type':
				format === 'docx'
					? 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
					: 'text/markdown; charset=utf-8',
			'content-disposition': `attachment; filename="${name}"`
		}
	});
}
