import fs from 'node:fs';
import { inject } from 'vitest';
import { until } from './wait';

/**
 * Set-up file of every `app` test file: waits for the production build that tests/global-setup.ts started in
 * the background (the `unit` files run meanwhile), and fails the file, naming the cause, if it failed.
 */
const status = inject('appBuildStatus');
await until(() => fs.existsSync(status), 'the app build has finished (tests/global-setup.ts)', 15 * 60_000, 100);
const result = JSON.parse(fs.readFileSync(status, 'utf8')) as { ok: boolean; detail?: string };
if (!result.ok) throw new Error(`the app build failed, so no app test can run: ${result.detail ?? 'see the log'}`);
