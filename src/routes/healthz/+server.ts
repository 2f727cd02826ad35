import { databaseAnswers } from '$lib/server/health';
import type { RequestHandler } from './$types';

/** Liveness that proves the database answers, for load balancers and monitoring. */
export const GET: RequestHandler = async ({ locals }) => {
	if (!(await databaseAnswers(locals.db))) {
		return new Response('database unavailable', { status: 503, headers: { 'content-type': 'text/plain' } });
	}
	return new Response('ok', { headers: { 'content-type': 'text/plain', 'cache-control': 'no-store' } });
};
