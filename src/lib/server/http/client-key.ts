import { isIPv4, isIPv6 } from 'node:net';

/**
 * The key a client address is counted under by the rate limits. IPv4 addresses
 * count one by one (a school shares one address behind its router). An IPv6
 * address counts by its /64 network: one household or device is given a whole
 * /64 and can pick any address in it, so counting single addresses would let it
 * walk round every limit. IPv4-mapped IPv6 (::ffff:1.2.3.4) counts as the IPv4.
 * Keys live in memory only; addresses are never stored.
 */
export function clientKey(address: string | null | undefined): string {
	const a = (address ?? '').trim().toLowerCase();
	if (!a) return 'unknown';
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
	if (mapped && isIPv4(mapped[1])) return mapped[1];
	if (isIPv4(a)) return a;
	const bare = a.replace(/%.*$/, '');
	if (!isIPv6(bare)) return a.slice(0, 64);
	return `${ipv6Groups(bare).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, without leading zeros. */
function ipv6Groups(address: string): string[] {
	let text = address;
	// A trailing dotted IPv4 part (::1.2.3.4) is two groups.
	const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
	if (v4) {
		const [a, b, c, d] = v4.slice(1).map(Number);
		text = text.slice(0, v4.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
	}
	const [head, tail] = text.split('::');
	const left = head ? head.split(':') : [];
	const right = tail !== undefined && tail !== '' ? tail.split(':') : [];
	const zeros = tail === undefined ? [] : Array(8 - left.length - right.length).fill('0');
	return [...left, ...zeros, ...right].map((g) => parseInt(g, 16).toString(16));
}
