import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

/*
 * How coding is stored (the contract between the automatic coder and officers):
 * - One answer_theme row per (answer, theme) at most.
 * - An answer HAS a theme exactly when its row has applies = 1, whatever the source.
 * - source = 'auto': the engine's verdict; recoding may insert, update or delete these rows.
 * - source = 'human': an officer's decision (applies = 1 added/accepted, applies = 0 removed);
 *   recoding never changes its source or applies, never deletes it.
 * - confidence: the engine's latest confidence for that theme on that answer, or null when the
 *   engine does not propose it; recoding updates it on human rows too, so agreement between the
 *   automatic coding (confidence not null) and the officer's final coding (applies = 1) can be
 *   measured on reviewed answers (answer.reviewed_at not null).
 */

/**
 * Asks for the automatic coding of a consultation's answers to be brought up to
 * date (after new answers, a codebook change or officers' coding), in the
 * background, without blocking the request. Human decisions are never
 * overwritten. (Filled in when the theme engine is wired into the app.)
 */
export function scheduleRecode(_db: Kysely<Database>, _consultationId: number, _questionId?: number): void {}
