/**
 * A small seedable generator (mulberry32) for demo and load-test data: the same
 * seed gives the same data on every machine. Not for anything secret.
 */
export function seededRandom(seed: number) {
	let a = seed >>> 0;
	const next = () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return {
		next,
		int: (n: number) => Math.floor(next() * n),
		pick<T>(items: readonly T[]): T {
			return items[Math.floor(next() * items.length)];
		},
		/** A value chosen with probability proportional to its weight. */
		weighted<T>(items: [T, number][]): T {
			let r = next() * items.reduce((s, [, w]) => s + w, 0);
			for (const [v, w] of items) if ((r -= w) < 0) return v;
			return items[items.length - 1][0];
		},
		shuffle<T>(items: T[]): T[] {
			for (let i = items.length - 1; i > 0; i--) {
				const j = Math.floor(next() * (i + 1));
				[items[i], items[j]] = [items[j], items[i]];
			}
			return items;
		}
	};
}
export type SeededRandom = ReturnType<typeof seededRandom>;
