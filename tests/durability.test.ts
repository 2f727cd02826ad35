import { expect, it } from 'vitest';
import { describeEachEngine, TEST_DATABASE_URL } from './helpers/databases';
import { describeReport, runCrashTest } from '../scripts/crash-test';

/**
 * A smaller run of the crash test: 200 concurrent clients posting submissions
 * (a fifth of them resending ids), the server killed with SIGKILL twice in the
 * middle of the load and restarted on the same database. Every submission that
 * was answered 201 or 200 must be in the database exactly once, whole.
 */
describeEachEngine('durability under SIGKILL', (engine) => {
	it('keeps every acknowledged submission exactly once through two kills', { timeout: 120_000 }, async () => {
		const report = await runCrashTest({ engine, kills: 2, clients: 200, phaseMs: 1500, pgUrl: TEST_DATABASE_URL });
		const summary = describeReport(report).join('\n');
		expect(report.acknowledged, summary).toBeGreaterThan(50);
		expect(
			report.inFlightAtKills.every((n) => n > 0),
			summary
		).toBe(true);
		// Every kill hit a server that was committing.
		expect(
			report.ackedPerPhase.every((n) => n >= 20),
			summary
		).toBe(true);
		expect(report.sent, summary).toBeGreaterThanOrEqual(200);
		expect(report.replays, summary).toBeGreaterThan(0);
		expect(report.lost, summary).toBe(0);
		expect(report.duplicated, summary).toBe(0);
		expect(report.partial, summary).toBe(0);
		expect(report.unexpected, summary).toBe(0);
		expect(report.found, summary).toBe(report.acknowledged);
	});
});
