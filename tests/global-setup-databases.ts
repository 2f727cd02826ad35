import type { TestProject } from 'vitest/node';
import { makePreparedTemplates } from './helpers/database-templates';

/**
 * Every project's first global setup: one prepared database per engine for the run, copied by each test
 * file's `preparedDatabase` (tests/helpers/database-templates.ts), and dropped when the run ends.
 */
export default async function setup(project: TestProject) {
	const { templates, drop } = await makePreparedTemplates(process.env.TEST_DATABASE_URL);
	project.provide('preparedTemplates', templates);
	return drop;
}
