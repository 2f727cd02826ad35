import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../themes/csv';
import { screenAnswer } from './index';
import { SCORING_FINGERPRINT, scoringFingerprint } from './version';

const fixtures = path.resolve(__dirname, '../../../tests/fixtures/safeguarding');

/** The texts whose scores the fingerprint covers, in a fixed order. */
function texts(): string[] {
	const sentences = (
		JSON.parse(fs.readFileSync(path.join(fixtures, 'sentences.json'), 'utf8')) as { sentences: { text: string }[] }
	).sentences.map((s) => s.text);
	const evalDir = path.join(fixtures, 'eval');
	const files = fs
		.readdirSync(evalDir)
		.filter((f) => /^tuning(-\d+)?\.csv$/.test(f))
		.sort();
	const rows = files.flatMap((f) => {
		const file = path.join(evalDir, f);
		return parseCsv(fs.readFileSync(file, 'utf8'), file, ['text']).map((r) => r.values.text);
	});
	return [...sentences, ...rows];
}

describe('scoring version', () => {
	it('is bumped whenever a score changes (stored scores are then rescored in the background)', () => {
		const fingerprint = scoringFingerprint(texts().map((t) => screenAnswer(t)));
		expect(
			fingerprint,
			`the screen's scores changed: bump SCORING_VERSION in src/lib/safeguarding/version.ts and set SCORING_FINGERPRINT to '${fingerprint}'`
		).toBe(SCORING_FINGERPRINT);
	});
});
