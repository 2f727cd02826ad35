/**
 * The device-side outbox for face-to-face entry. Every leaf is written to
 * localStorage BEFORE it is sent, and leaves it only when the server has
 * accepted it (or already had it). Sends in batches to POST /api/entry/sync,
 * retries with backoff, on the `online` event and on every page load, so a
 * closed tab or a dropped connection loses nothing; the server stores each
 * UUID once, so a resend never doubles a response.
 *
 * Each leaf belongs to the member of staff who typed it (authorId). On a shared
 * PC only their own sign-in sends it; anyone else signed in sees it kept for
 * them and may take it over explicitly (the server records it) or, after
 * confirming, discard it (recorded and counted too). Never sent as someone else's.
 */
import { browser } from '$app/environment';
import {
	authorOf,
	keptForOthers,
	type OutboxEntry,
	type RejectedEntry,
	type StaffUser,
	type OutboxProblem
} from './outbox-words';

export {
	authorOf,
	keptForOthers,
	statusText,
	type OutboxEntry,
	type RejectedEntry,
	type StaffUser,
	type OutboxProblem,
	type KeptFor
} from './outbox-words';

const OUTBOX_KEY = 'consult.entry.outbox.v1';
const REJECTED_KEY = 'consult.entry.rejected.v1';
const BATCH = 50;
/** The server's cap per take-over or discard request. */
const CHANGEOVER_BATCH = 200;
const MAX_BACKOFF_MS = 60_000;

function read<T>(key: string): T[] {
	if (!browser) return [];
	try {
		const v = JSON.parse(localStorage.getItem(key) ?? '[]');
		return Array.isArray(v) ? v : [];
	} catch {
		return [];
	}
}

function write<T>(key: string, value: T[]): void {
	localStorage.setItem(key, JSON.stringify(value));
}

async function postJson(url: string, body: unknown): Promise<Response> {
	return fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', accept: 'application/json' },
		credentials: 'same-origin',
		body: JSON.stringify(body)
	});
}

const wire = ({ id, sessionId, questionKey, group, district, text, authorId, concern }: OutboxEntry) => ({
	id,
	sessionId,
	questionKey,
	group,
	district,
	text,
	authorId: authorId ?? null,
	concern: concern ?? null
});

/** A refused request, in words for the status line or the panel. */
function refusal(status: number): string {
	if (status === 401) return 'You have been signed out.';
	if (status === 403) return 'This account may not do that.';
	return 'The server could not record it just now. Nothing was changed: try again.';
}

class Outbox {
	waiting = $state<OutboxEntry[]>([]);
	rejected = $state<RejectedEntry[]>([]);
	sending = $state(false);
	offline = $state(false);
	problem = $state<OutboxProblem | null>(null);
	/** The member of staff signed in on this page (null: nobody, or not known yet). */
	user = $state<StaffUser | null>(null);
	/** What the last take-over did, shown after its panel has gone (it empties the panel). */
	takeOverNotice = $state<{ message: string; sessionId: number | null } | null>(null);

	/** This user's own leaves, the only ones a plain send may carry. */
	mine = $derived(this.user ? this.waiting.filter((e) => authorOf(e) === this.user!.id) : []);
	others = $derived(keptForOthers(this.waiting, this.user?.id ?? null));

	#listeners = new Set<(ids: string[]) => void>();
	#backoff = 1000;
	#timer: ReturnType<typeof setTimeout> | null = null;
	#started = false;

	start(user: StaffUser | null): void {
		if (!browser) return;
		this.setUser(user);
		if (this.#started) return;
		this.#started = true;
		this.refresh();
		window.addEventListener('online', () => {
			this.offline = false;
			this.#backoff = 1000;
			void this.flush();
		});
		window.addEventListener('offline', () => (this.offline = true));
		// Another tab on this computer added or sent entries.
		window.addEventListener('storage', (e) => {
			if (e.key === OUTBOX_KEY || e.key === REJECTED_KEY) this.refresh();
		});
		this.offline = navigator.onLine === false;
		void this.flush();
	}

	/** The signed-in member of staff changed (or became known): their own leaves are sent. */
	setUser(user: StaffUser | null): void {
		if ((user?.id ?? null) === (this.user?.id ?? null)) return;
		this.user = user ? { id: user.id, email: user.email } : null;
		this.problem = null;
		this.#backoff = 1000;
		if (this.#started) void this.flush();
	}

	/** Called with the ids the server has stored (or already had) after each batch. */
	onSent(listener: (ids: string[]) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	refresh(): void {
		this.waiting = read<OutboxEntry>(OUTBOX_KEY);
		this.rejected = read<RejectedEntry>(REJECTED_KEY);
	}

	/** Keeps the entry on this device first, as the signed-in user's, then tries to send it. Throws if the browser cannot store it. */
	add(entry: Omit<OutboxEntry, 'queuedAt' | 'authorId' | 'authorEmail'>): void {
		if (!this.user) throw new Error('nobody is signed in on this page');
		const all = read<OutboxEntry>(OUTBOX_KEY);
		all.push({ ...entry, queuedAt: new Date().toISOString(), authorId: this.user.id, authorEmail: this.user.email });
		write(OUTBOX_KEY, all);
		this.waiting = all;
		void this.flush();
	}

	/** Puts a refused leaf back in the queue (after a passing server error, say). Only its author may. */
	retryRejected(id: string): void {
		const all = read<RejectedEntry>(REJECTED_KEY);
		const one = all.find((e) => e.id === id);
		if (!one || !this.user || authorOf(one) !== this.user.id) return;
		const { errors: _errors, ...entry } = one;
		write(OUTBOX_KEY, [...read<OutboxEntry>(OUTBOX_KEY).filter((e) => e.id !== id), entry]);
		write(
			REJECTED_KEY,
			all.filter((e) => e.id !== id)
		);
		this.refresh();
		void this.flush();
	}

	/**
	 * Sends another author's leaves now as the signed-in user's (an explicit take-over,
	 * recorded by the server). Returns what happened, in words, and where they went.
	 */
	async takeOver(authorId: number | null): Promise<{ ok: boolean; message: string; sessionId: number | null }> {
		if (!this.user) return { ok: false, message: refusal(401), sessionId: null };
		if (authorId === this.user.id)
			return { ok: false, message: 'These are yours: they are sent as usual.', sessionId: null };
		let taken = 0;
		let refused = 0;
		let sessionId: number | null = null;
		for (;;) {
			const batch = read<OutboxEntry>(OUTBOX_KEY)
				.filter((e) => authorOf(e) === authorId)
				.slice(0, CHANGEOVER_BATCH);
			if (batch.length === 0) break;
			let response: Response;
			try {
				response = await postJson('/api/entry/take-over', { fromUserId: authorId, entries: batch.map(wire) });
			} catch {
				this.offline = true;
				return {
					ok: false,
					message: 'There is no connection, so nothing was taken over. Try again when it returns.',
					sessionId
				};
			}
			if (!response.ok) {
				if (response.status === 401) this.problem = 'signed-out';
				return { ok: false, message: refusal(response.status), sessionId };
			}
			const body = (await response.json()) as {
				accepted: string[];
				duplicates: string[];
				rejected: { id: string | null; errors: Record<string, string> }[];
				sessions: Record<string, number>;
			};
			sessionId ??= Object.values(body.sessions)[0] ?? null;
			const done = new Set([...body.accepted, ...body.duplicates]);
			const refusedHere = new Map(body.rejected.filter((r) => r.id).map((r) => [r.id as string, r.errors]));
			// Refused leaves are now the taker's to correct or discard: they chose to take them.
			const rejected = read<RejectedEntry>(REJECTED_KEY);
			for (const e of batch) {
				if (refusedHere.has(e.id))
					rejected.push({ ...e, authorId: this.user.id, authorEmail: this.user.email, errors: refusedHere.get(e.id)! });
			}
			write(REJECTED_KEY, rejected);
			write(
				OUTBOX_KEY,
				read<OutboxEntry>(OUTBOX_KEY).filter((e) => !done.has(e.id) && !refusedHere.has(e.id))
			);
			this.refresh();
			taken += body.accepted.length + body.duplicates.length;
			refused += refusedHere.size;
			if (done.size + refusedHere.size === 0) break;
		}
		const n = (k: number) => (k === 1 ? '1 response' : `${k} responses`);
		const message =
			refused > 0
				? `${n(taken)} taken over and saved. ${n(refused)} could not be saved: see below.`
				: `${n(taken)} taken over and saved as yours.`;
		this.takeOverNotice = { message, sessionId };
		return { ok: true, message, sessionId };
	}

	/** Throws leaves away from this computer once the server has recorded it; returns an error in words, or null. */
	async discard(ids: string[], reason: 'waiting' | 'rejected'): Promise<string | null> {
		const key = reason === 'waiting' ? OUTBOX_KEY : REJECTED_KEY;
		const wanted = new Set(ids);
		const entries = read<OutboxEntry>(key).filter((e) => wanted.has(e.id));
		for (let i = 0; i < entries.length; i += CHANGEOVER_BATCH) {
			const chunk = entries.slice(i, i + CHANGEOVER_BATCH);
			let response: Response;
			try {
				response = await postJson('/api/entry/discard', {
					reason,
					entries: chunk.map((e) => ({ id: e.id, sessionId: e.sessionId ?? null, authorId: authorOf(e) }))
				});
			} catch {
				return 'There is no connection, so nothing was discarded: a discard is recorded first. Try again when it returns.';
			}
			if (!response.ok) {
				if (response.status === 401) this.problem = 'signed-out';
				return `${refusal(response.status)} Nothing was discarded.`;
			}
			const gone = new Set(chunk.map((e) => e.id));
			write(
				key,
				read<OutboxEntry>(key).filter((e) => !gone.has(e.id))
			);
			this.refresh();
		}
		return null;
	}

	#retry(): void {
		if (this.#timer) clearTimeout(this.#timer);
		const wait = this.#backoff;
		this.#backoff = Math.min(this.#backoff * 2, MAX_BACKOFF_MS);
		this.#timer = setTimeout(() => {
			this.#timer = null;
			void this.flush();
		}, wait);
	}

	async flush(): Promise<void> {
		if (!browser || this.sending || !this.user) return;
		const me = this.user.id;
		this.sending = true;
		try {
			for (;;) {
				if (this.user?.id !== me) break; // someone else signed in meanwhile
				const batch = read<OutboxEntry>(OUTBOX_KEY)
					.filter((e) => authorOf(e) === me)
					.slice(0, BATCH);
				if (batch.length === 0) break;
				let response: Response;
				try {
					response = await postJson('/api/entry/sync', { entries: batch.map(wire) });
				} catch {
					this.offline = true;
					this.#retry();
					break;
				}
				this.offline = false;
				if (response.status === 401) {
					this.problem = 'signed-out';
					break;
				}
				if (response.status === 403) {
					this.problem = 'forbidden';
					break;
				}
				if (!response.ok) {
					this.problem = response.status >= 500 ? 'server' : null;
					this.#retry();
					break;
				}
				const body = (await response.json()) as {
					accepted: string[];
					duplicates: string[];
					rejected: { id: string | null; errors: Record<string, string> }[];
				};
				this.problem = null;
				this.#backoff = 1000;
				const done = new Set([...body.accepted, ...body.duplicates]);
				// A leaf refused because it is not the signer-in's (another person signed in
				// in another tab) stays in the queue for its author: it is not "rejected".
				const notTheirs = new Set(body.rejected.filter((r) => r.id && r.errors.authorId).map((r) => r.id as string));
				if (notTheirs.size > 0) this.problem = 'someone-else';
				const refused = new Map(
					body.rejected.filter((r) => r.id && !notTheirs.has(r.id)).map((r) => [r.id as string, r.errors])
				);
				// Re-read: entries typed while this batch was in flight must stay.
				const remaining = read<OutboxEntry>(OUTBOX_KEY).filter((e) => !done.has(e.id) && !refused.has(e.id));
				if (refused.size > 0) {
					const rejected = read<RejectedEntry>(REJECTED_KEY);
					for (const e of batch) if (refused.has(e.id)) rejected.push({ ...e, errors: refused.get(e.id)! });
					write(REJECTED_KEY, rejected);
					this.rejected = rejected;
				}
				write(OUTBOX_KEY, remaining);
				this.waiting = remaining;
				if (done.size > 0) for (const l of this.#listeners) l([...done]);
				if (done.size + refused.size === 0) break; // nothing moved: do not spin
			}
		} finally {
			this.sending = false;
		}
	}
}

export const outbox = new Outbox();
