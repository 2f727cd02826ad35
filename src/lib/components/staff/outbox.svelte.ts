/**
 * The device-side outbox for face-to-face entry. Every leaf is written to
 * localStorage BEFORE it is sent, and leaves it only when the server has
 * accepted it (or already had it). Sends in batches to POST /api/entry/sync,
 * retries with backoff, on the `online` event and on every page load, so a
 * closed tab or a dropped connection loses nothing; the server stores each
 * UUID once, so a resend never doubles a response.
 */
import { browser } from '$app/environment';

export interface OutboxEntry {
	id: string;
	sessionId: number;
	questionKey: string;
	group: string | null;
	district: string | null;
	text: string;
	queuedAt: string;
}

export interface RejectedEntry extends OutboxEntry {
	errors: Record<string, string>;
}

const OUTBOX_KEY = 'consult.entry.outbox.v1';
const REJECTED_KEY = 'consult.entry.rejected.v1';
const BATCH = 50;
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

class Outbox {
	waiting = $state<OutboxEntry[]>([]);
	rejected = $state<RejectedEntry[]>([]);
	sending = $state(false);
	offline = $state(false);
	problem = $state<string | null>(null);
	/** Bumped after each successful send, so pages can reload their server data. */
	syncedVersion = $state(0);

	#listeners = new Set<(ids: string[]) => void>();
	#backoff = 1000;
	#timer: ReturnType<typeof setTimeout> | null = null;
	#started = false;

	start(): void {
		if (!browser || this.#started) return;
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

	/** Called with the ids the server has stored (or already had) after each batch. */
	onSent(listener: (ids: string[]) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	refresh(): void {
		this.waiting = read<OutboxEntry>(OUTBOX_KEY);
		this.rejected = read<RejectedEntry>(REJECTED_KEY);
	}

	/** Keeps the entry on this device first, then tries to send it. Throws if the browser cannot store it. */
	add(entry: Omit<OutboxEntry, 'queuedAt'>): void {
		const all = read<OutboxEntry>(OUTBOX_KEY);
		all.push({ ...entry, queuedAt: new Date().toISOString() });
		write(OUTBOX_KEY, all);
		this.waiting = all;
		void this.flush();
	}

	discardRejected(id: string): void {
		const all = read<RejectedEntry>(REJECTED_KEY).filter((e) => e.id !== id);
		write(REJECTED_KEY, all);
		this.rejected = all;
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
		if (!browser || this.sending) return;
		this.sending = true;
		try {
			for (;;) {
				const batch = read<OutboxEntry>(OUTBOX_KEY).slice(0, BATCH);
				if (batch.length === 0) break;
				let response: Response;
				try {
					response = await fetch('/api/entry/sync', {
						method: 'POST',
						headers: { 'content-type': 'application/json', accept: 'application/json' },
						credentials: 'same-origin',
						body: JSON.stringify({
							entries: batch.map(({ id, sessionId, questionKey, group, district, text }) => ({ id, sessionId, questionKey, group, district, text }))
						})
					});
				} catch {
					this.offline = true;
					this.#retry();
					break;
				}
				this.offline = false;
				if (response.status === 401) {
					this.problem = 'You have been signed out. Your responses are kept on this computer: sign in again to send them.';
					break;
				}
				if (response.status === 403) {
					this.problem = 'This account may not send these responses. They are kept on this computer.';
					break;
				}
				if (!response.ok) {
					this.problem = null;
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
				const refused = new Map(body.rejected.filter((r) => r.id).map((r) => [r.id as string, r.errors]));
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
				this.syncedVersion++;
				if (done.size > 0) for (const l of this.#listeners) l([...done]);
				if (done.size + refused.size === 0) break; // nothing moved: do not spin
			}
		} finally {
			this.sending = false;
		}
	}
}

export const outbox = new Outbox();

/** The words of the status line. */
export function statusText(waiting: number, offline: boolean): string {
	if (waiting === 0) return 'All saved';
	const n = `${waiting} waiting to send`;
	return offline ? `${n}: no connection, they are kept on this computer and will be sent when it returns` : n;
}
