/**
 * A row's cell key over `columns`, for summing rows per cell in JavaScript (the question-set slices): the values
 * joined by a separator no stored value holds, each tagged with its type so that null, 1 and '1' stay apart (as
 * the JSON.stringify of an array of them did), without building an array and a JSON text per row (issue #19).
 */
export function cellKey(columns: readonly PropertyKey[], r: Record<PropertyKey, unknown>): string {
	let k = '';
	for (const c of columns) {
		const v = r[c];
		k += v === null || v === undefined ? '\u0000z' : typeof v === 'string' ? '\u0000s' + v : '\u0000n' + String(v);
	}
	return k;
}
