import { analysisContext } from '$lib/server/analysis/route';
import { answersXlsxStream } from '$lib/server/exports/answers-xlsx';
import { audit } from '$lib/server/audit';
import { mayReadFlagged } from '$lib/server/safeguarding/withheld';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const { db, consultation, scope, user, filters } = await analysisContext(event);
	await audit(db, {
		userId: user.id,
		action: 'export.answers',
		entity: 'consultation',
		entityId: consultation.id,
		detail: { format: 'xlsx', filters }
	});
	return new Response(answersXlsxStream(db, consultation, scope, { mayReadFlagged: mayReadFlagged(user) }), {
		headers: {
			'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'content-disposition': `attachment; filename="${consultation.slug}-answers.xlsx"`,
			'cache-control': 'no-store'
		}
	});
};
