import { randomBytes } from 'node:crypto';
import type { ParsedSheet } from './parse';

/**
 * Parsed uploads kept between the preview and the commit, in this process's
 * memory, under a random token bound to the officer who uploaded, for 30
 * minutes. (With several app instances, the commit must reach the same one, or
 * the officer uploads again: nothing is half-written either way.)
 */
export interface HeldUpload {
	userId: number;
	consultationId: number;
	filename: string;
	hash: string;
	sheet: ParsedSheet;
	expires: number;
}

const TTL_MS = 30 * 60_000;
const MAX_HELD = 20;
const held = new Map<string, HeldUpload>();

function sweep(now = Date.now()) {
	for (const [k, v] of held) if (v.expires <= now) held.delete(k);
	while (held.size > MAX_HELD) held.delete(held.keys().next().value!);
}

export function holdUpload(upload: Omit<HeldUpload, 'expires'>): string {
	sweep();
	const token = randomBytes(18).toString('base64url');
	held.set(token, { ...upload, expires: Date.now() + TTL_MS });
	return token;
}

export function heldUpload(token: string, userId: number): HeldUpload | null {
	sweep();
	const h = held.get(token);
	return h && h.userId === userId ? h : null;
}

export function releaseUpload(token: string): void {
	held.delete(token);
}
