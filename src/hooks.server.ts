import type { Handle, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { database, closeDatabase } from '$lib/server/db/instance';
import { securityHeaders } from '$lib/server/http/security-headers';

export const init: ServerInit = async () => {
	await database();
	// adapter-node emits this after SIGTERM/SIGINT once in-flight requests finish.
	process.once('sveltekit:shutdown' as never, () => {
		void closeDatabase();
	});
};

const attachDatabase: Handle = async ({ event, resolve }) => {
	event.locals.db = (await database()).db;
	event.locals.user = null;
	return resolve(event);
};

export const handle = sequence(securityHeaders, attachDatabase);
