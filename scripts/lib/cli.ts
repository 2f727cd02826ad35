import { ConfigError } from '../../src/lib/server/db/config';

/**
 * Runs a command-line tool: a configuration or input mistake prints one clear
 * line (no stack trace) and exits 1; anything unexpected keeps its stack.
 */
export function runMain(main: () => Promise<void | number>): void {
	main().then(
		(code) => {
			if (typeof code === 'number') process.exitCode = code;
		},
		(error: unknown) => {
			if (error instanceof ConfigError || error instanceof UsageError) {
				console.error(`error: ${error.message}`);
			} else {
				console.error(error);
			}
			process.exitCode = error instanceof UsageError ? 2 : 1;
		}
	);
}

export class UsageError extends Error {}
