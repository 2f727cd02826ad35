import { analysisContext } from '$lib/server/analysis/route';
import { answersCsvStream } from '$lib/server/exports/answers';
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
		detail: { format: 'csv', filters }
	});
	return new Response(answersCsvStream(db, consultation, scope, { mayReadFlagged: mayReadFlagged(user) }), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${consultation.slug}-answers.csv"`,
			'cache-control': 'no-store'
		}
	});
};
