/**
 * The scoring version: which screen and built-in model scored a stored answer (`answer.risk_version`). Bump
 * SCORING_VERSION whenever a change to the screen, the lexicon or the built-in model's weights changes any score,
 * and set SCORING_FINGERPRINT to the new fingerprint: `version.test.ts` fails until both are done, printing the
 * fingerprint. A server started with a higher version rescores the answers scored by a lower one in the background
 * (server/safeguarding/ranker.ts, backfillRiskScores), so the reading list is ordered by current scores; an
 * instance still running an older version leaves answers scored by a newer one alone (the number only goes up).
 */
export const SCORING_VERSION = 2;

/**
 * FNV-1a over the scores and levels the screen gives a fixed list of texts (the project's sentences and the ten
 * writers' evaluation sets): it changes when any of those scores changes.
 */
export const SCORING_FINGERPRINT = '39b6c63b';

/** The fingerprint of `results` (score and level of each text, in order). */
export function scoringFingerprint(results: readonly { score: number; level: string | null }[]): string {
	let h = 0x811c9dc5;
	for (const r of results) {
		const s = `${r.score.toFixed(6)}:${r.level ?? '-'};`;
		for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
	}
	return h.toString(16).padStart(8, '0');
}
