/**
 * Small-cell suppression: counts below a threshold could identify someone, so
 * they are shown as "fewer than k". When a row or column has exactly one
 * suppressed cell and a total is shown, that cell could be worked out by
 * subtraction, so the next smallest non-zero cell in that line is suppressed too
 * (secondary suppression). Zero is never suppressed (it identifies no one).
 */

export const DEFAULT_MIN_CELL = 5;

/** Is this count suppressed on its own (primary suppression)? */
export function isSmall(n: number, min: number): boolean {
	return min > 0 && n > 0 && n < min;
}

/**
 * Which cells of a grid to hide. `grid[r][c]` are counts; returns a same-shape
 * grid of booleans. Secondary suppression is applied to rows and columns until stable.
 */
export function suppressGrid(grid: number[][], min: number, opts: { secondary?: boolean } = {}): boolean[][] {
	const hidden = grid.map((row) => row.map((n) => isSmall(n, min)));
	if (min <= 0 || opts.secondary === false) return hidden;
	const lines = (): { cells: [number, number][] }[] => {
		const out: { cells: [number, number][] }[] = [];
		for (let r = 0; r < grid.length; r++) out.push({ cells: grid[r].map((_, c) => [r, c] as [number, number]) });
		const cols = Math.max(0, ...grid.map((r) => r.length));
		for (let c = 0; c < cols; c++) out.push({ cells: grid.map((_, r) => [r, c] as [number, number]).filter(([r]) => c < grid[r].length) });
		return out;
	};
	for (let pass = 0; pass < 10; pass++) {
		let changed = false;
		for (const line of lines()) {
			const suppressed = line.cells.filter(([r, c]) => hidden[r][c]);
			if (suppressed.length !== 1) continue;
			const candidates = line.cells
				.filter(([r, c]) => !hidden[r][c] && grid[r][c] > 0)
				.sort((a, b) => grid[a[0]][a[1]] - grid[b[0]][b[1]]);
			if (candidates.length === 0) continue;
			const [r, c] = candidates[0];
			hidden[r][c] = true;
			changed = true;
		}
		if (!changed) break;
	}
	return hidden;
}

/** How a suppressed cell reads: "<5" when it is small, "[c]" when hidden only to protect a total. */
export function suppressedLabel(min: number, n = 1): string {
	return n >= min ? '[c]' : `<${min}`;
}

/** The sentence each view with suppressed cells shows. */
export function suppressionNote(min: number): string {
	return `Counts from 1 to ${min - 1} are shown as "<${min}" so that no one can be identified; "[c]" marks a count hidden so that a small one cannot be worked out from a total. Change the threshold with the "Hide counts under" filter.`;
}
