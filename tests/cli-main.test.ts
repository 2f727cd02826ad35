import { afterEach, describe, expect, it, vi } from 'vitest';
import { runMain, UsageError } from '../scripts/lib/cli';
import { ConfigError } from '../src/lib/server/db/config';

/** runMain (every npm-run CLI): a usage or configuration mistake is one `error: …` line, as the other CLIs print. */
describe('runMain', () => {
	afterEach(() => {
		process.exitCode = undefined;
		vi.restoreAllMocks();
	});

	it.each([
		[new UsageError('usage: npm run analysis -- rebuild'), 2],
		[new ConfigError('DATABASE_URL is not a postgres:// address'), 1]
	])('prints "error: %s" without a stack and exits %i', async (thrown, code) => {
		const printed = vi.spyOn(console, 'error').mockImplementation(() => {});
		runMain(async () => {
			throw thrown;
		});
		await vi.waitFor(() => expect(printed).toHaveBeenCalled());
		expect(printed.mock.calls).toEqual([[`error: ${thrown.message}`]]);
		expect(process.exitCode).toBe(code);
	});
});
