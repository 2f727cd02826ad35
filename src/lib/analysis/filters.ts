/**
 * The filters every analysis view shares, as query-string parameters, so that a
 * link (or an export, or the printed report) carries exactly what is on screen.
 * Invalid values are dropped, never an error: a hand-edited URL still shows a page.
 */
import { z } from 'zod';
import { DEFAULT_MIN_CELL } from './suppress';

const code = z
	.string()
	.trim()
	.regex(/^[a-z0-9_-]{1,60}$/);
const day = z
	.string()
	.regex(/^\d{4}-\d{2}-\d{2}$/)
	.refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)));

/** Not a real group or district code: selects answers whose group / district is not known. */
export const UNKNOWN = 'unknown';
/** Channel filter value for all face-to-face channels together. */
export const FACE_TO_FACE = 'face-to-face';

export const filterFields = {
	question: code,
	group: code,
	district: code,
	channel: code,
	from: day,
	to: day,
	theme: z.coerce.number().int().positive(),
	min: z.coerce.number().int().min(0).max(100)
};

export interface Filters {
	question?: string;
	group?: string;
	district?: string;
	channel?: string;
	from?: string;
	to?: string;
	theme?: number;
	/** Small-cell threshold: counts below it are suppressed (0: none). */
	min: number;
}

export const FILTER_KEYS = ['question', 'group', 'district', 'channel', 'from', 'to', 'theme', 'min'] as const;

export function parseFilters(params: URLSearchParams): Filters {
	const out: Filters = { min: DEFAULT_MIN_CELL };
	for (const key of FILTER_KEYS) {
		const raw = params.get(key);
		if (raw === null || raw.trim() === '') continue;
		const parsed = filterFields[key].safeParse(raw);
		if (parsed.success) (out as unknown as Record<string, unknown>)[key] = parsed.data;
	}
	if (out.from && out.to && out.from > out.to) [out.from, out.to] = [out.to, out.from];
	return out;
}

/** The query string for filters (with overrides; undefined removes a key). Default min is left out. */
export function filterQuery(
	f: Partial<Filters>,
	overrides: Record<string, string | number | undefined | null> = {}
): string {
	const p = new URLSearchParams();
	for (const key of FILTER_KEYS) {
		const v = key in overrides ? overrides[key] : f[key];
		if (v === undefined || v === null || v === '') continue;
		if (key === 'min' && Number(v) === DEFAULT_MIN_CELL) continue;
		p.set(key, String(v));
	}
	for (const [k, v] of Object.entries(overrides)) {
		if ((FILTER_KEYS as readonly string[]).includes(k) || v === undefined || v === null || v === '') continue;
		p.set(k, String(v));
	}
	const s = p.toString();
	return s ? `?${s}` : '';
}

/** Whether any filter (other than the threshold) narrows the data. */
export function isFiltered(f: Filters): boolean {
	return FILTER_KEYS.some((k) => k !== 'min' && f[k] !== undefined);
}

/** Extra parameters of the review list. */
export interface ReviewFilters {
	/** Only answers with no theme. */
	uncoded: boolean;
	/** Only answers not yet reviewed by an officer. */
	unreviewed: boolean;
	/** Only answers whose lowest automatic confidence is below this (0-1). */
	below?: number;
	/** "Code next": answers not yet reviewed, in the order the coder would learn most from. */
	next: boolean;
	/** The page number shown (and, without `after` / `before`, the page read by offset). */
	page: number;
	/** Keyset paging (the Next link): the page is the first answers with an id above this one. */
	after?: number;
	/** Keyset paging (the Previous link): the page is the last answers with an id below this one. */
	before?: number;
}

export function parseReviewFilters(params: URLSearchParams): ReviewFilters {
	const below = z.coerce
		.number()
		.min(0)
		.max(1)
		.safeParse(params.get('below') ?? '');
	const page = z.coerce
		.number()
		.int()
		.min(1)
		.max(100_000)
		.safeParse(params.get('page') ?? '1');
	const id = (name: string) => {
		const v = z.coerce
			.number()
			.int()
			.min(0)
			.max(Number.MAX_SAFE_INTEGER)
			.safeParse(params.get(name) ?? '');
		return params.get(name) && v.success ? v.data : undefined;
	};
	const after = id('after');
	return {
		uncoded: params.get('uncoded') === '1',
		unreviewed: params.get('unreviewed') === '1',
		next: params.get('next') === '1',
		below: params.get('below') && below.success ? below.data : undefined,
		page: page.success ? page.data : 1,
		after,
		// One direction at a time: `after` wins.
		before: after === undefined ? id('before') : undefined
	};
}

/**
 * The review list's Previous / Next links (plain links: they work without JavaScript). In id order (`ids`: the
 * page's answer ids) Next reads on after the page's last id and Previous back before its first (keyset paging,
 * review/index.ts pageIds), each with the page number to show; back to page 1 needs no key. `ids` null (code next's
 * order, a list): by page number only.
 */
export function reviewPageLinks(
	f: Partial<Filters>,
	extra: Record<string, string | number | undefined>,
	rf: Pick<ReviewFilters, 'page'>,
	total: number,
	pageSize: number,
	ids: number[] | null
): { prev: string | null; next: string | null } {
	const keyed = ids !== null && ids.length > 0;
	return {
		prev:
			rf.page > 1
				? filterQuery(f, { ...extra, page: rf.page - 1, before: keyed && rf.page > 2 ? ids[0] : undefined })
				: null,
		next:
			rf.page * pageSize < total
				? filterQuery(f, { ...extra, page: rf.page + 1, after: keyed ? ids[ids.length - 1] : undefined })
				: null
	};
}

/** The tick rule from the query string (`top`, `pct`), defaulting to top 5 or 10%. */
export function parseTickRule(params: URLSearchParams): { top: number; minPct: number } {
	const top = z.coerce
		.number()
		.int()
		.min(0)
		.max(50)
		.safeParse(params.get('top') ?? '');
	const p = z.coerce
		.number()
		.min(0)
		.max(100)
		.safeParse(params.get('pct') ?? '');
	return { top: params.get('top') && top.success ? top.data : 5, minPct: params.get('pct') && p.success ? p.data : 10 };
}

/** Cross-tab settings from the query string. */
/**
 * Why a cross-tab cannot be shown, or undefined. A dimension by itself only repeats its one-way table along the
 * diagonal, and that diagonal gave hidden counts away (issue #11, the week audit's seed 1 with every pair opened:
 * "Gender by gender" showed week 3's "Not asked" 13 as a cell, a row and a column total while the gender table hid
 * it, and beside "Channel by gender" and the week's total 15 that read online 2 off). So the page, its exports and
 * the registry offer only two different dimensions.
 */
export function crossTabProblem(x: { a: string; b: string }): string | undefined {
	return x.a === x.b ? 'Select a different dimension for the columns than for the rows' : undefined;
}

export function parseCrossTab(
	params: URLSearchParams,
	isDim: (v: string | null) => boolean
): { a: string; b: string; percent: 'row' | 'column' | 'none' } {
	const a = params.get('a');
	const b = params.get('b');
	const p = params.get('percent');
	return {
		a: isDim(a) ? a! : 'group',
		b: isDim(b) ? b! : 'district',
		percent: p === 'column' || p === 'none' ? p : 'row'
	};
}
