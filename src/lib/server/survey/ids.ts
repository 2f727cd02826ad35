import { randomUUID } from 'node:crypto';
import { v7 } from 'uuid';
import { envSwitch } from '../../analysis/switches';

/**
 * A UUID of version 7 (RFC 9562, the `uuid` package): the time in ms since 1970 in its first 48 bits, then the
 * version, the variant and random bits. Ids made later sort later, so a b-tree keyed by them takes each new one at
 * its right-hand edge instead of at a random leaf.
 */
export function uuidV7(now = Date.now()): string {
	return v7({ msecs: now });
}

/**
 * The id the server gives a submission it starts (the survey's draft, draft.ts): time-ordered (uuidV7) unless
 * SURVEY_TIME_ORDERED_IDS=off (read at each call), which gives a random one (version 4) as before.
 *
 * Why (issue #18, docs/deployment.md, thirty-first round): six of the b-trees a submission writes are keyed by its
 * id — the submission's primary key, `submission_consultation_id`, `perspective_unique`, `perspective_group` and
 * `answer_question_submission` (and `reference`, a hash of it). With random ids each new entry lands on a leaf of
 * its own once those b-trees outgrow the page cache's share of them, so every grouped commit logs, and every
 * checkpoint copies, about one page per entry, and the cost per submission grows with the database. Time-ordered
 * ids put the entries of one moment side by side. The id stays unguessable (74 random bits) and is never shown to
 * staff; it carries the moment the draft was started, which only the database and the respondent's browser see.
 */
export function newSubmissionId(now = Date.now()): string {
	return envSwitch('SURVEY_TIME_ORDERED_IDS') === 'off' ? randomUUID() : uuidV7(now);
}
