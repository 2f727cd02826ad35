import { RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { newLimiter, storedKey } from '../http/limit-store';
import { type LimitResult } from '../http/rate-limit';
import { clientKey } from '../http/client-key';
import { m } from '../../paraglide/messages';
import { maxConcurrentSubmissions, maxSubmissionsPerSecond, rateWindowSeconds, submissionsPerWindow } from './config';
import { WriterStoppedError } from './writer-thread';

export type { LimitResult };

export interface SurveyLimitSettings {
	/** Stored submissions per address (IPv6: per /64) in each window. */
	perAddress: number;
	windowSeconds: number;
	/** Submissions being stored at the same moment, from everyone. */
	maxConcurrent: number;
	/** Submissions started per second, from everyone. */
	perSecond: number;
}

/**
 * A submission not stored: `address` when this address has sent its share, `busy` when the whole service has,
 * `writer` when the submission writer thread stopped before reporting the commit (nothing acknowledged; a resend
 * with the same id is stored once or answered as a replay).
 */
export interface Refusal {
	kind: 'refused';
	reason: 'address' | 'busy' | 'writer';
	/** Seconds to wait before trying again. */
	retryAfter: number;
}

/**
 * Worded for a child at a school computer: nothing is lost, and what to do.
 * The form shows it above their answers, which stay as they were.
 */
export const REFUSAL_MESSAGE = {
	// Getters, so each request reads the message in its own language.
	get standard() {
		return m.refusal();
	},
	get easy() {
		return m.refusal_easy();
	}
};

/**
 * Limits for survey submissions (the survey's Send button and the JSON endpoint).
 * - Per address, only submissions actually stored count: an empty, invalid or
 *   refused post costs nothing, so a class can make mistakes and still send.
 *   The limit is generous (a class of 30+ behind one school address) because
 *   the server's protection is the breaker below, not a tight per-address limit.
 * - A global breaker: at most `maxConcurrent` submissions being stored at once
 *   and `perSecond` started each second, from everyone together. Beyond that
 *   people are asked to wait a moment instead of the server slowing for all.
 * Per-address counters are shared by every instance on PostgreSQL (limit-store.ts: keyed
 * hashes only, addresses are never stored) and in memory on SQLite. The breaker stays per
 * process: it protects each instance, and the service's capacity grows with instances.
 */
export class SubmissionLimiter {
	private stored: RateLimiterAbstract;
	private started: RateLimiterMemory;
	private starts: RateLimiterAbstract;
	private inFlight = 0;

	constructor(readonly settings: SurveyLimitSettings) {
		this.stored = newLimiter({
			keyPrefix: 'survey-stored',
			points: settings.perAddress,
			duration: settings.windowSeconds
		});
		this.started = new RateLimiterMemory({ keyPrefix: 'survey-all', points: settings.perSecond, duration: 1 });
		// Starting the survey creates a draft row: a few more starts than sends, counted on every start.
		this.starts = newLimiter({
			keyPrefix: 'survey-start',
			points: settings.perAddress * 3,
			duration: settings.windowSeconds
		});
	}

	/** Runs `submit` unless a limit refuses it; counts it against the address only when it was stored ('created'). */
	async run<T extends { kind: string }>(address: string, submit: () => Promise<T>): Promise<T | Refusal> {
		// Checked and taken before anything is awaited, so a burst cannot slip past the count.
		if (this.inFlight >= this.settings.maxConcurrent) return { kind: 'refused', reason: 'busy', retryAfter: 2 };
		this.inFlight++;
		try {
			const key = storedKey(clientKey(address));
			const mine = await this.stored.get(key);
			if (mine !== null && mine.consumedPoints >= this.settings.perAddress) {
				return { kind: 'refused', reason: 'address', retryAfter: Math.max(1, Math.ceil(mine.msBeforeNext / 1000)) };
			}
			try {
				await this.started.consume('all');
			} catch {
				return { kind: 'refused', reason: 'busy', retryAfter: 1 };
			}
			let result: T;
			try {
				result = await submit();
			} catch (error) {
				// Both the form and the JSON endpoint answer it as any other refusal: retry shortly, answers kept.
				if (error instanceof WriterStoppedError) return { kind: 'refused', reason: 'writer', retryAfter: 1 };
				throw error;
			}
			// A stored submission counts even if it takes the address past its share (several at once).
			if (result.kind === 'created') await this.stored.penalty(key, 1);
			return result;
		} finally {
			this.inFlight--;
		}
	}

	/** One survey start (it creates a draft). */
	async start(address: string): Promise<LimitResult> {
		try {
			await this.starts.consume(storedKey(clientKey(address)));
			return { allowed: true, retryAfter: 0 };
		} catch (rejection) {
			const ms = (rejection as { msBeforeNext?: number }).msBeforeNext ?? 1000;
			return { allowed: false, retryAfter: Math.max(1, Math.ceil(ms / 1000)) };
		}
	}
}

let shared: SubmissionLimiter | null = null;

/** The server's limiter, with the configured settings (read on first use). */
export function submissionLimiter(): SubmissionLimiter {
	shared ??= new SubmissionLimiter({
		perAddress: submissionsPerWindow(),
		windowSeconds: rateWindowSeconds(),
		maxConcurrent: maxConcurrentSubmissions(),
		perSecond: maxSubmissionsPerSecond()
	});
	return shared;
}

/** A submission from `address` through the limits (survey form or JSON endpoint). */
export function limitedSubmit<T extends { kind: string }>(
	address: string,
	submit: () => Promise<T>
): Promise<T | Refusal> {
	return submissionLimiter().run(address, submit);
}

/** One survey start (creates a draft). */
export function limitStart(address: string): Promise<LimitResult> {
	return submissionLimiter().start(address);
}
