/**
 * A bounded memo for the coder's per-token work: two generations of at most `cap` entries each.
 * When the young generation is full the old one is dropped and the young one becomes old; entries
 * found in the old generation are promoted. So hot entries survive (an approximation of LRU) and
 * at most 2·cap entries are ever held, whatever the size of the batch.
 */
export class TwoGenerationCache<K, V> {
	private young = new Map<K, V>();
	private old = new Map<K, V>();
	constructor(private readonly cap: number) {}

	get(key: K): V | undefined {
		const v = this.young.get(key);
		if (v !== undefined) return v;
		const o = this.old.get(key);
		if (o !== undefined) this.set(key, o);
		return o;
	}

	set(key: K, value: V): void {
		if (this.young.size >= this.cap) {
			this.old = this.young;
			this.young = new Map();
		}
		this.young.set(key, value);
	}

	get size(): number {
		return this.young.size + this.old.size;
	}
}
