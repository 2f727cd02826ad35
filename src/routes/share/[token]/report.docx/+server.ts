import { error } from '@sveltejs/kit';
import { getConsultation } from '$lib/server/consultations/queries';
import { useShareLink, SHARE_REFUSED } from '$lib/server/results/share';
import { sharedReportData } from '$lib/server/report/shared';
import { reportOutline } from '$lib/server/report/outline';
import { actionsOutline } from '$lib/server/report/actions-outline';
import { reportDocx } from '$lib/server/report/docx';
import type { RequestHandler } from './$types';

/** The shared report as a Word document: the same token, checks, audit and redaction as the share page. */
export const GET: RequestHandler = async (event) => {
	const use = await useShareLink(event.locals.db, event.params.token, new Date(), 'docx');
	if (!use.ok) error(use.reason === 'unknown' ? 404 : 410, SHARE_REFUSED[use.reason]);
	const c = await getConsultation(event.locals.db, use.slug);
	if (!c) error(404, SHARE_REFUSED.unknown);
	const { report, actions } = await sharedReportData(event.locals.db, c);
	// After the report, as on the share page.
	const parts = [...reportOutline(c, report), ...actionsOutline(actions)];
	const body = await reportDocx(parts, `${c.title}: consultation report`);
	return new Response(new Uint8Array(body), {
		headers: {
			'content-type': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
			'content-disposition': `attachment; filename="${c.slug}-report.docx"`,
			'cache-control': 'no-store',
			'x-robots-tag': 'noindex',
			'referrer-policy': 'no-referrer'
		}
	});
};
