/** Week buckets from ISO dates, counted from a start date (week 1 = the 7 days from start). */

export function daysBetween(from: string, to: string): number {
	const a = Date.UTC(+from.slice(0, 4), +from.slice(5, 7) - 1, +from.slice(8, 10));
	const b = Date.UTC(+to.slice(0, 4), +to.slice(5, 7) - 1, +to.slice(8, 10));
	return Math.round((b - a) / 86_400_000);
}

export function addDays(date: string, days: number): string {
	const d = new Date(`${date.slice(0, 10)}T00:00:00Z`);
	d.setUTCDate(d.getUTCDate() + days);
	return d.toISOString().slice(0, 10);
}

/** 1-based week number of `day` counted from `start` (days before the start fall in week 0 or below). */
export function weekOf(day: string, start: string): number {
	return Math.floor(daysBetween(start, day) / 7) + 1;
}

export interface WeekBucket {
	week: number;
	from: string;
	to: string;
	label: string;
}

export function weekBucket(week: number, start: string): WeekBucket {
	const from = addDays(start, (week - 1) * 7);
	const to = addDays(from, 6);
	return { week, from, to, label: `Week ${week} (${from} to ${to})` };
}

/** Re-aggregates per-day counts into weeks: { day, key, n }[] -> Map week -> key -> n. */
export function byWeek<K>(rows: { day: string; key: K; n: number }[], start: string): Map<number, Map<K, number>> {
	const out = new Map<number, Map<K, number>>();
	for (const r of rows) {
		const w = weekOf(r.day, start);
		let m = out.get(w);
		if (!m) out.set(w, (m = new Map()));
		m.set(r.key, (m.get(r.key) ?? 0) + r.n);
	}
	return new Map([...out.entries()].sort((a, b) => a[0] - b[0]));
}

/** How many weeks (rounded up, counting both ends) the days given span; 0 for none. */
export function weeksSpanned(days: string[]): number {
	if (days.length === 0) return 0;
	const sorted = [...days].sort();
	return Math.ceil((daysBetween(sorted[0], sorted.at(-1)!) + 1) / 7);
}

/**
 * Date filters widened to whole weeks counted from `start` (week 1 is the 7 days from it): "from"
 * moves back to the first day of its week, "to" on to the last day of its own. Two date ranges that overlap then differ
 * by whole weeks, and each week's counts are protected as a slice of the consultation (wider.ts),
 * so no pair of ranges gives away the answers of a few days (as 1–28 May against 1–27 May would).
 */
export function wholeWeeks<F extends { from?: string; to?: string }>(f: F, start: string): F {
	const out = { ...f };
	if (out.from) out.from = weekBucket(weekOf(out.from, start), start).from;
	if (out.to) out.to = weekBucket(weekOf(out.to, start), start).to;
	return out;
}
