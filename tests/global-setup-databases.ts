import type { TestProject } from 'vitest/node';
import { makePreparedTemplates, type PreparedTemplates } from './helpers/database-templates';

/** The templates of this run, shared by the projects whose global setup this is (both: `unit` and `app`). */
interface Shared {
	made: Promise<{ templates: PreparedTemplates; drop: () => Promise<void> }>;
	users: number;
}
const SHARED = Symbol.for('consult.test.preparedTemplates');
const store = globalThis as { [SHARED]?: Shared };

/**
 * Every project's first global setup: one prepared database per engine for the run, copied by each test
 * file's `preparedDatabase` (tests/helpers/database-templates.ts), and dropped when the run ends.
 * Vitest runs each project's global setup in its own module instance, one project after another, before
 * any test, and every teardown when the run ends; so the templates are made once for the whole run (the
 * first project's setup makes them, the others reuse them) and dropped by the last teardown.
 */
export default async function setup(project: TestProject) {
	const shared = (store[SHARED] ??= { made: makePreparedTemplates(process.env.TEST_DATABASE_URL), users: 0 });
	shared.users++;
	const { templates, drop } = await shared.made;
	project.provide('preparedTemplates', templates);
	return async () => {
		if (--shared.users > 0) return;
		if (store[SHARED] === shared) delete store[SHARED];
		await drop();
	};
}
