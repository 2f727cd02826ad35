import { createHash } from 'node:crypto';

// Crockford base32: no I, L, O or U, so a code read aloud or copied by hand survives.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The short reference a respondent is given, derived from the submission's UUID
 * so that a replayed submission shows the same code. 50 bits: collisions are
 * negligible at consultation scale and the unique index would refuse one.
 */
export function referenceFor(id: string): string {
	const digest = createHash('sha256').update(id.toLowerCase()).digest();
	let bits = 0n;
	for (let i = 0; i < 7; i++) bits = (bits << 8n) | BigInt(digest[i]);
	let out = '';
	for (let i = 0; i < 10; i++) {
		out += ALPHABET[Number(bits & 31n)];
		bits >>= 5n;
	}
	return `${out.slice(0, 5)}-${out.slice(5)}`;
}

/** Accepts references typed with spaces, lower case or without the dash. */
export function normaliseReference(input: string): string {
	const clean = input
		.toUpperCase()
		.replace(/[^0-9A-Z]/g, '')
		.replace(/O/g, '0')
		.replace(/[IL]/g, '1');
	return clean.length === 10 ? `${clean.slice(0, 5)}-${clean.slice(5)}` : clean;
}
