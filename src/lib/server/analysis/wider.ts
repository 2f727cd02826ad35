/**
 * Suppression across views (issue #11): a filtered table and the same table with fewer filters
 * can be opened side by side, and subtracting one from the other gives the answers outside the
 * filter. For each table a filtered view shows, this builds the same table for every wider view
 * (each set of the active filters left out) and hands the pure rule (suppress.ts
 * widerViewConstraints) their true counts and what each of them hides; the table is then
 * protected with what that rule says. Wider views are protected the same way first (down to the
 * unfiltered view, which has none), all within one request's scopes, so each is built once.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'kysely';
import { FILTER_KEYS, type Filters } from '../../analysis/filters';
import { DIMENSIONS, type Dimension } from '../../analysis/dimensions';
import { CROSS_TAB_LINES, FILTER_DIMENSIONS, PUBLISHED_CROSS_TABS } from '../../analysis/lines';
import { cellKey, tableCounts, tableHidden, type TableData } from '../../analysis/tables';
import {
	isSmall,
	PROTECTION_MEMO,
	PROTECTION_RULES,
	sameBounds,
	useProtectionMemo,
	widerViewConstraints,
	type ViewConstraints
} from '../../analysis/suppress';
import { mergeConstraints, siblingConstraints } from '../../analysis/siblings';
import { envSwitch, newSwitchSnapshot, useSwitchSnapshot, type SwitchSnapshot } from '../../analysis/switches';
import { blurLabels } from '../../analysis/labels';
import { subLineHides } from '../../analysis/sub-line';
import { partFloor, partRoom, type PartEntry } from '../../analysis/part-floor';
import { FACE_TO_FACE, UNKNOWN } from '../../analysis/filters';
import { weekBucket, weekOf } from '../../analysis/weeks';
import { CHANNELS, FACE_TO_FACE_CHANNELS } from '../../domain/channels';
import type { Db } from '../db/connect';
import { cachedAnalysis } from './cache';
import { dateFamilyEnabled, memoised, memoisedInFamily, weekOne, type Scope } from './scope';

/**
 * The protections worked out while one filtered view's wider and sibling views are (suppress.ts
 * useProtectionMemo): the rounds rebuild a slice's every table when one of them changed, and the
 * slices' wider views repeat each other's, so most protections are of inputs already protected. Kept
 * for that computation only (dropped with it), so a page after a data change pays for the new counts.
 */
const protections = new AsyncLocalStorage<{ memo: Map<string | number, unknown>; switches?: SwitchSnapshot }>();
useProtectionMemo(() => protections.getStore()?.memo);
/** The environment switches as this computation first read them (switches.ts; ANALYSIS_SWITCH_SNAPSHOT=off: none). */
useSwitchSnapshot(() => protections.getStore()?.switches);
/** PROTECTION_MEMO_KEY=text: the memo keyed by the input as text, as before issue #19's cb22 (for A/B runs). */
PROTECTION_MEMO.textKey = process.env.PROTECTION_MEMO_KEY === 'text';
/** ANALYSIS_SMALL_SUMS=off: a line's hidden entries may add up to a small count, as before issue #11's rule (A/B, proofs). */
PROTECTION_RULES.smallHiddenSums = process.env.ANALYSIS_SMALL_SUMS !== 'off';
/**
 * ANALYSIS_EXACT_SHOW=off: a count another view asked to hide is shown again where ranges from other views pin it,
 * as before issue #11's seed-117 rule (suppress.ts pinnedExactly; A/B, proofs). Read at each protection.
 */
PROTECTION_RULES.exactShowAgain = () => envSwitch('ANALYSIS_EXACT_SHOW') !== 'off';

/** Runs `work` with a protection memo: the one it is already within, else a new one for it. */
function withProtectionMemo<T>(work: () => Promise<T>): Promise<T> {
	return protections.getStore() ? work() : protections.run({ memo: new Map(), switches: newSwitchSnapshot() }, work);
}

/**
 * registry.ts, imported when first needed (it imports dashboard.ts, which imports this file) and then kept: an
 * `import()` per call went through the module loader each time (thousands a first filtered page; issue #19).
 */
let registryModule: Promise<typeof import('./registry')> | undefined;
const registry = () => (registryModule ??= import('./registry'));

type FilterKey = Exclude<(typeof FILTER_KEYS)[number], 'min'>;

/** The filters that narrow the data in this scope (all but the threshold). */
function narrowing(f: Filters): FilterKey[] {
	return FILTER_KEYS.filter((k): k is FilterKey => k !== 'min' && f[k] !== undefined);
}

/**
 * The scope for other filters within the same request (one per set of filters, shared by every
 * table). Scopes whose filters differ only in the threshold share their query results: the
 * counts do not depend on it (and the wider-view memo is used only by scopes with a threshold).
 */
export function relatedScope(s: Scope, filters: Filters): Scope {
	s.family ??= new Map([[JSON.stringify(s.filters), s]]);
	const key = JSON.stringify(filters);
	let r = s.family.get(key);
	if (!r) {
		// The scope of the same filters at another threshold, if any (looked up by key: a first
		// filtered page asks for a few thousand related scopes).
		const countsKey = JSON.stringify({ ...filters, min: 0 });
		const sameCounts = s.family.get(countsKey) ?? byCountsIn(s.family).get(countsKey);
		if (sameCounts) sameCounts.memo ??= new Map();
		r = {
			consultationId: s.consultationId,
			questionIds: s.questionIds,
			districts: s.districts,
			groups: s.groups,
			opensAt: s.opensAt,
			filters,
			family: s.family,
			memo: sameCounts?.memo
		};
		s.family.set(key, r);
		const ix = familyByCounts.get(s.family);
		if (ix && ix.read === s.family.size - 1) {
			if (!ix.first.has(countsKey)) ix.first.set(countsKey, r);
			ix.read++;
		}
	}
	return r;
}

/** Each family's first scope of each set of counts (its filters at threshold 0, as JSON), and how many scopes it has read. */
const familyByCounts = new WeakMap<Map<string, Scope>, { read: number; first: Map<string, Scope> }>();

/**
 * The family's scopes by their filters at threshold 0, the first of each in the family's order (what a walk over the
 * family finds first): kept per family and brought up to date with the scopes added since (issue #19: the walk, a
 * JSON string per scope for every new scope, was a few per cent of a first filtered page).
 */
function byCountsIn(family: Map<string, Scope>): Map<string, Scope> {
	let ix = familyByCounts.get(family);
	if (!ix) familyByCounts.set(family, (ix = { read: 0, first: new Map() }));
	if (ix.read !== family.size) {
		let i = 0;
		for (const x of family.values())
			if (i++ >= ix.read) {
				const k = JSON.stringify({ ...x.filters, min: 0 });
				if (!ix.first.has(k)) ix.first.set(k, x);
			}
		ix.read = family.size;
	}
	return ix.first;
}

/**
 * Every proper subset of the active filters, as the filters of a wider view. The two ends of a
 * date range count as one filter: while suppression is on, a range is a union of whole weeks
 * (analysisFilters), and how it stands beside other ranges is the weeks' sibling rule's job
 * (siblingConstraintsOf), which a range's open-ended halves would only repeat.
 */
function widerFilters(f: Filters): Filters[] {
	const active = narrowing(f).filter((k) => k !== 'to' || f.from === undefined);
	const keysOf = (k: FilterKey): FilterKey[] => (k === 'from' ? ['from', 'to'] : [k]);
	const out: Filters[] = [];
	for (let mask = 0; mask < (1 << active.length) - 1; mask++) {
		const w: Filters = { min: f.min };
		active.forEach((k, i) => {
			if (mask & (1 << i)) for (const x of keysOf(k)) (w as unknown as Record<string, unknown>)[x] = f[x];
		});
		out.push(w);
	}
	return out;
}

/** Constraints of two sources on the same tables, by table id, as one. */
function mergeMaps(a: Map<string, ViewConstraints>, b: Map<string, ViewConstraints>): Map<string, ViewConstraints> {
	const out = new Map(a);
	for (const [id, v] of b) out.set(id, mergeConstraints(out.get(id), v)!);
	return out;
}

/**
 * What each table `build` makes must hide in this scope because of the wider views of it, and
 * of its sibling views (the other districts, groups, channels or weeks), by table id (empty when
 * nothing narrows the data or suppression is off). `tag` names the builder, so that a scope
 * works each out once; with `db`, the result is also kept across requests while the data
 * version is unchanged (cache.ts), so a filtered page pays for its wider and sibling views once.
 */
export function widerConstraints(
	s: Scope,
	tag: string,
	build: (scope: Scope) => Promise<TableData[]>,
	db?: Db
): Promise<Map<string, ViewConstraints>> {
	if (s.filters.min <= 0) return Promise.resolve(new Map());
	// The unfiltered view has no wider or sibling views, but the same-view rules hold for it too.
	if (narrowing(s.filters).length === 0) return sameViewOnly(s, tag, build, db);
	// A sibling being protected with its siblings: its wider views' constraints and the round's.
	if (s.siblingRound) {
		const round = s.siblingRound;
		return ownWider(s, tag, build, db).then((own) => mergeMaps(own, round));
	}
	const work = async () => {
		const own = await ownWider(s, tag, build, db);
		const dims = await siblingDimensions(s, db);
		if (dims.length === 0) return own;
		if (dims.reduce((n, d) => n * (d.size ?? d.slices.length), 1) <= MAX_FAMILY)
			return mergeMaps(own, await siblingConstraintsOf(s, dims, tag, build, db));
		// Too many combinations to work out on a page: each filter's family on its own, with the
		// other filters as they are (weaker: not solved together; docs/analysis.md).
		let out = own;
		for (const d of dims) out = mergeMaps(out, await siblingConstraintsOf(s, [d], tag, build, db));
		return out;
	};
	return memoised(s, `constraints:${tag}:${s.filters.min}`, () =>
		db
			? cachedAnalysis(
					db,
					s.consultationId,
					`constraints|${tag}|${JSON.stringify(s.filters)}${weeksKey(s.filters)}`,
					() => withProtectionMemo(work)
				)
			: withProtectionMemo(work)
	);
}

/** The constraints from the wider views alone (each set of the active filters left out). */
export function ownWider(
	s: Scope,
	tag: string,
	build: (scope: Scope) => Promise<TableData[]>,
	db?: Db
): Promise<Map<string, ViewConstraints>> {
	return memoised(s, `wider:${tag}`, async () => {
		const truthOf = (f: Filters) => build(relatedScope(s, { ...f, min: 0 }));
		const wf = widerFilters(s.filters);
		const [own, ...wider] = await Promise.all([
			truthOf(s.filters),
			...wf.map(async (f) => {
				const [truth, shown] = await Promise.all([truthOf(f), build(relatedScope(s, f))]);
				return { truth, shown };
			})
		]);
		const out = new Map<string, ViewConstraints>();
		own.forEach((t) => {
			const views = wider.flatMap((w) => {
				const truth = w.truth.find((x) => x.id === t.id);
				const shown = w.shown.find((x) => x.id === t.id);
				return truth && shown ? [{ counts: tableCounts(truth), hidden: tableHidden(shown) }] : [];
			});
			out.set(t.id, widerViewConstraints(tableCounts(t), views, s.filters.min));
		});
		for (const t of own) {
			const lines = await crossTabLines(s, wf, wider, t, db);
			if (lines) out.set(t.id, mergeConstraints(out.get(t.id), lines)!);
			const same = await sameView(s, t, db);
			if (same) out.set(t.id, mergeConstraints(out.get(t.id), same)!);
		}
		return out;
	});
}

/** What a table of this view must hide or may show because of the view's other tables and empty pages. */
async function sameView(s: Scope, t: TableData, db?: Db): Promise<ViewConstraints | undefined> {
	const zeros = await knownZeros(s, t, db);
	const asked = db ? await askedFromChannels(s, t, db) : undefined;
	const weeks = db ? await weeksFromChannels(s, t, db) : undefined;
	const line = db ? await weekChannelsLine(s, t, db) : undefined;
	return mergeConstraints(mergeConstraints(mergeConstraints(zeros, asked), weeks), line);
}

/** The same-view rules alone, for the view with no filter but the threshold (its tables' true counts read once). */
function sameViewOnly(
	s: Scope,
	tag: string,
	build: (scope: Scope) => Promise<TableData[]>,
	db?: Db
): Promise<Map<string, ViewConstraints>> {
	return memoised(s, `same:${tag}:${s.filters.min}`, async () => {
		const out = new Map<string, ViewConstraints>();
		for (const t of await build(relatedScope(s, { ...s.filters, min: 0 }))) {
			const same = await sameView(s, t, db);
			if (same) out.set(t.id, same);
		}
		return out;
	});
}

/**
 * An equality table's "Total asked" is the view's online submissions (only the survey asks the equality
 * questions; face-to-face responses are "Not asked"), which the same view's channels table publishes as its
 * "Online survey" row, and "Not asked" is the other channels' rows. Protected apart, the two hid it differently: a
 * group's view hid "Total asked" (41) as a partner while its channels table and its online slice showed it
 * (tests/disclosure-joint.test.ts, group × channel). So the channels table (its own builder, which reads no
 * equality table) decides: where it shows the count, the equality table knows it (exact bounds: shown, never a
 * partner); where it hides the online count (not zero), "Total asked" is hidden too. Only where the true counts
 * are the same. Always on (it was behind a switch, knownZeroRule, until the give-ups of protect were closed).
 */
async function askedFromChannels(s: Scope, t: TableData, db: Db): Promise<ViewConstraints | undefined> {
	if (!t.id.startsWith('eq-') || s.filters.min <= 0) return undefined;
	const asked = tableCounts(t).get(cellKey('_asked', 'n')) ?? 0;
	const { counts, hidden, rows, small } = await channelsRead(s, db);
	const out: ViewConstraints = { hide: new Set(), bounds: new Map() };
	const online = cellKey('online', 'n');
	const at = cellKey('_asked', 'n');
	if ((counts.get(online) ?? 0) === asked) {
		if (!hidden.has(online)) out.bounds.set(at, [asked, asked]);
		else if (asked > 0) {
			out.hide.add(at);
			// Where the channels table reads the online count "<5", "Total asked" is known to be 1 to min − 1 whatever
			// this table reads it (issue #11, dis52: random seed 9's unfiltered "Age band" read "Total asked" "[c]" (4)
			// over four "<5" answers while "Responses by channel" read online "<5", so 4 ≤ Total asked ≤ 4 pinned each
			// answer at 1). Protected within those bounds. ANALYSIS_ASKED_SMALL_BOUNDS=off leaves them out (before).
			if (small.has(online) && envSwitch('ANALYSIS_ASKED_SMALL_BOUNDS') !== 'off')
				out.bounds.set(at, [1, s.filters.min - 1]);
		}
	}
	// "Not asked" is the other channels' rows (a channel with no submissions has no row: its page is empty).
	const others = rows.filter((k) => k !== 'online' && !k.startsWith('_'));
	const notAsked = tableCounts(t).get(cellKey('not_asked', 'n')) ?? 0;
	const sum = others.reduce((n, k) => n + (counts.get(cellKey(k, 'n')) ?? 0), 0);
	if (sum === notAsked) {
		// Shown where every face-to-face channel is; hidden where one that is not zero is hidden (it would pin it).
		if (others.every((k) => !hidden.has(cellKey(k, 'n'))))
			out.bounds.set(cellKey('not_asked', 'n'), [notAsked, notAsked]);
		else if (notAsked > 0 && others.some((k) => hidden.has(cellKey(k, 'n')) && (counts.get(cellKey(k, 'n')) ?? 0) > 0))
			out.hide.add(cellKey('not_asked', 'n'));
	} else if (s.filters.channel === undefined && isSmall(notAsked - sum, s.filters.min)) {
		// Online respondents not asked (under 16): "Not asked" is the face-to-face channels' rows, which their own
		// pages publish whatever this view hides (nobody face to face is asked), plus the online slice's "Not
		// asked", which its page hides as small. Shown here, it gives that away by subtraction (issue #11, the
		// random audit's seed 20: 49 - 12 - 19 - 16 = 2), so it is hidden with it.
		out.hide.add(cellKey('not_asked', 'n'));
	}
	// The equality table's grand total is the view's submissions, the channels table's total: hidden there, hidden here.
	const total = cellKey('_total', 'n');
	if (hidden.has(total) && (counts.get(total) ?? 0) === asked + notAsked) out.totalHidden = true;
	return out.hide.size || out.bounds.size || out.totalHidden ? out : undefined;
}

/** weeksFromChannels; ANALYSIS_WEEKS_CHANNELS=off leaves the weeks table's margins to it alone (A/B runs, the test's proof). */
const weeksChannels = () => envSwitch('ANALYSIS_WEEKS_CHANNELS') !== 'off';

/**
 * weeksFromChannels' bounds on a margin it asks hidden (analysis/part-floor.ts; issue #11, the random audit's seed 263);
 * ANALYSIS_WEEKS_PART_FLOOR=off leaves the margin hidden with no bounds, as before (A/B runs, the test's proof).
 */
const weeksPartFloorOn = () => envSwitch('ANALYSIS_WEEKS_PART_FLOOR') !== 'off';

/**
 * weeksFromChannels' bounds read from the channels table's whole line, with room downwards where there is none
 * upwards (analysis/part-floor.ts partRoom; issue #11, dis38); ANALYSIS_WEEKS_PART_ROOM=off gives partFloor's bounds
 * alone, as before (A/B runs, the test's proof).
 */
const weeksPartRoomOn = () => envSwitch('ANALYSIS_WEEKS_PART_ROOM') !== 'off';

/**
 * "Responses by week"'s margins are counts the same view's "Responses by channel" publishes (issue #11, the random
 * audit's seed 20): its grand total is the view's submissions (the channels table's total), its online column total
 * the online row, and its "Face to face and other" column total the sum of the other rows. Protected apart, the weeks
 * table showed the total 50 that the channels table hid beside online's "<5", so 50 less library 12, school 19 and
 * event 16 gave online 3. As askedFromChannels does for the equality tables, the channels table (whose builder reads
 * no weeks table) decides: a margin it shows is known here (exact bounds: shown, never a partner); one it hides (not
 * zero) is hidden here too; the other column's total is known where every other row is shown and hidden where one
 * that is not zero is hidden (it would pin that row). Constraints, not decisions (the reverted weeksMarginsOf forced
 * margins shown over what the weeks' sibling families asked): the family and the protection still choose around
 * them. Only where the true counts are the same. A margin hidden here is not unknown: the channels table's labels
 * and the cross-tabs sharing its margins bound it (seed 263: library "<5" beside event 18, and three "<5" in
 * "District by channel"'s library column), so it carries those bounds at worst (analysis/part-floor.ts), and the
 * weeks table keeps room around them (ANALYSIS_WEEKS_PART_FLOOR=off: hidden with no bounds, as before).
 */
async function weeksFromChannels(s: Scope, t: TableData, db: Db): Promise<ViewConstraints | undefined> {
	// Constraints in the view without a filter only: in a filtered view the weeks' rows are protected with the view's
	// families, and hiding its grand total there made a district's weeks table hide week totals its week slices show
	// (the joint test's district × weeks family, six published); a filtered view gets the labels alone (weeksBlurred).
	if (t.id !== 'weeks' || s.filters.min <= 0 || !weeksChannels()) return undefined;
	if (narrowing(s.filters).length > 0)
		return mergeConstraints(await weeksBlurred(s, t, db), await weeksForcedByChannels(s, t, db));
	const own = tableCounts(t);
	const { counts, hidden, rows } = await channelsRead(s, db);
	const out: ViewConstraints = { hide: new Set(), bounds: new Map() };
	// The channel cells a margin is the sum of (one for the totals, the other rows for "Face to face and other").
	const partOf = (keys: string[]): PartEntry[] => keys.map((k) => ({ n: counts.get(k) ?? 0, hidden: hidden.has(k) }));
	const floor = weeksPartFloorOn();
	const room = floor && weeksPartRoomOn();
	const total = cellKey('_total', 'n');
	const channelRows = rows.filter((k) => !k.startsWith('_')).map((k) => cellKey(k, 'n'));
	// The margin's other reading in the channels table's line (rows add up to the total), for partRoom.
	const lineOf = (part: string[]) =>
		part.length === 1 && part[0] === total
			? { plus: partOf(channelRows), minus: [] }
			: { plus: partOf([total]), minus: partOf(channelRows.filter((k) => !part.includes(k))) };
	const follow = (at: string, n: number, known: boolean, hide: boolean, part: string[]) => {
		if (known) out.bounds.set(at, [n, n]);
		else if (hide && n > 0) {
			out.hide.add(at);
			// Hidden, yet bounded by the channels table and the cross-tabs sharing its margins (analysis/part-floor.ts).
			const b = room
				? partRoom(partOf(part), lineOf(part), s.filters.min)
				: floor
					? partFloor(partOf(part), s.filters.min)
					: undefined;
			if (b) out.bounds.set(at, b);
		}
	};
	const grand = own.get(cellKey('_total', '_total')) ?? 0;
	if ((counts.get(total) ?? 0) === grand)
		follow(cellKey('_total', '_total'), grand, !hidden.has(total), hidden.has(total), [total]);
	const online = cellKey('online', 'n');
	const onlineN = own.get(cellKey('_total', 'online')) ?? 0;
	if ((counts.get(online) ?? 0) === onlineN)
		follow(cellKey('_total', 'online'), onlineN, !hidden.has(online), hidden.has(online), [online]);
	const others = rows.filter((k) => k !== 'online' && !k.startsWith('_'));
	const other = own.get(cellKey('_total', 'f2f')) ?? 0;
	// Known also where it is the shown total less the shown online row: asked hidden there, it cannot be, and the
	// table hid every week's cells around it instead (seeds 5, 23 and 24: the whole weeks table "[c]").
	const exact = (at: string) => {
		const b = out.bounds.get(at);
		return !!b && b[0] === b[1];
	};
	const difference = exact(cellKey('_total', '_total')) && (onlineN === 0 || exact(cellKey('_total', 'online')));
	if (others.reduce((n, k) => n + (counts.get(cellKey(k, 'n')) ?? 0), 0) === other)
		follow(
			cellKey('_total', 'f2f'),
			other,
			difference || others.every((k) => !hidden.has(cellKey(k, 'n'))),
			others.some((k) => hidden.has(cellKey(k, 'n')) && (counts.get(cellKey(k, 'n')) ?? 0) > 0),
			others.map((k) => cellKey(k, 'n'))
		);
	return out.hide.size || out.bounds.size ? out : undefined;
}

/**
 * In a filtered view the weeks table is protected with its week slices (so its margins cannot follow the channels
 * table as constraints: weeksFromChannels), but where the channels table shows the view's total, an onlooker knows
 * the weeks table's grand total all the same, and weeks read "<5" (at most 4 each) that add up to it are pinned
 * (the random audit's seed 56: group=other, three weeks of 4 read "<5", "[c]", "<5" beside a total of 12). So the
 * small counts of the weeks table read "[c]" there (no upper bound): a label, not a decision.
 */
async function weeksBlurred(s: Scope, t: TableData, db: Db): Promise<ViewConstraints | undefined> {
	const own = tableCounts(t);
	const { counts, hidden } = await channelsRead(s, db);
	const total = cellKey('_total', 'n');
	if (hidden.has(total) || (counts.get(total) ?? 0) !== (own.get(cellKey('_total', '_total')) ?? 0)) return undefined;
	const blur = new Set([...own].filter(([, n]) => isSmall(n, s.filters.min)).map(([k]) => k));
	return blur.size ? { hide: new Set(), bounds: new Map(), blur } : undefined;
}

/** weeksForcedByChannels; ANALYSIS_CHANNELS_WEEKS=off leaves a filtered view's weeks margins to its families (A/B, proofs). */
const channelsWeeks = () => envSwitch('ANALYSIS_CHANNELS_WEEKS') !== 'off';

/**
 * weeksForcedByChannels' second reading, what the view's channels table hides as its page shows it (issue #11,
 * dis26); ANALYSIS_CHANNELS_WEEKS_OWN=off reads the wider views' asks alone, as dis25 built it (A/B, proofs).
 */
const channelsWeeksOwn = () => envSwitch('ANALYSIS_CHANNELS_WEEKS_OWN') !== 'off';

/**
 * In a filtered view, "Responses by week"'s margins are channel counts: the online column's total is the channels
 * table's online row, the "Face to face and other" column's total the sum of its other rows, the grand total its
 * total. The weeks table may not show one of them that the channels table keeps hidden:
 * - Where the wider views (a line of a wider cross-tab, a wider view's subtraction) make the channels table hide
 *   such a row (issue #11, the random audit's seed 18, dis25: group=parent_carer's channels table had to hide
 *   online 8, "Respondent group by channel" hiding it, and event 1, with library 9, school 8 and the total 26 shown
 *   elsewhere; its weeks table showed the online total 8 and the other total 18, so 26 - 8 - 9 - 8 = 1): the online
 *   total where the online row is asked hidden (not zero), the other total where a non-zero other row is. Read from
 *   what the wider views alone ask of the channels table (dashboard.ts sharedOwnWider).
 * - Where the channels table's own protection (its page: its families and its own choice of partners, channelsRead)
 *   hides them (dis26): a week's view (nothing wider reads its channels table as a line) hid library 3 with online 7
 *   and the total 60 as its partners beside school 20 and event 30, while its weeks table showed the online total 7
 *   and the grand total 60, so 60 - 7 - 20 - 30 = 3. So the online total is hidden where the page hides online (not
 *   zero); the other total where it hides a non-zero other row, unless it shows both the total and online (the other
 *   total is then their difference, known); the grand total where it hides its total (not zero).
 * No cycle: the channels table's protection reads no weeks table (weeksBlurred reads the same page), and the wider
 * constraints of a view read only views with fewer filters. The weeks' rows stay the week families' (exact bounds from
 * the channels table there made week slices publish week totals: the joint test's district × weeks family). Only
 * where the true counts agree.
 */
async function weeksForcedByChannels(s: Scope, t: TableData, db: Db): Promise<ViewConstraints | undefined> {
	if (!channelsWeeks()) return undefined;
	const { channelsOwnWiderOf } = await registry();
	const { counts, rows, hidden: page } = await channelsRead(s, db);
	const asked = (await channelsOwnWiderOf(db, relatedScope(s, s.filters)))?.hide ?? new Set<string>();
	const hidden = channelsWeeksOwn() ? page : new Set<string>();
	if (!asked.size && !hidden.size) return undefined;
	const own = tableCounts(t);
	const out: ViewConstraints = { hide: new Set(), bounds: new Map() };
	const online = cellKey('online', 'n');
	const total = cellKey('_total', 'n');
	const onlineN = own.get(cellKey('_total', 'online')) ?? 0;
	if (onlineN > 0 && (asked.has(online) || hidden.has(online)) && (counts.get(online) ?? 0) === onlineN)
		out.hide.add(cellKey('_total', 'online'));
	const others = rows.filter((k) => k !== 'online' && !k.startsWith('_'));
	const other = own.get(cellKey('_total', 'f2f')) ?? 0;
	const hiddenOther = (set: Set<string>) =>
		others.some((k) => set.has(cellKey(k, 'n')) && (counts.get(cellKey(k, 'n')) ?? 0) > 0);
	// The page's total less its online row, where it shows both (online shown or zero).
	const difference = !page.has(total) && (!page.has(online) || (counts.get(online) ?? 0) === 0);
	if (
		other > 0 &&
		others.reduce((n, k) => n + (counts.get(cellKey(k, 'n')) ?? 0), 0) === other &&
		(hiddenOther(asked) || (hiddenOther(hidden) && !difference))
	)
		out.hide.add(cellKey('_total', 'f2f'));
	const grand = own.get(cellKey('_total', '_total')) ?? 0;
	if (grand > 0 && hidden.has(total) && (counts.get(total) ?? 0) === grand) out.hide.add(cellKey('_total', '_total'));
	return out.hide.size ? out : undefined;
}

/** weekChannelsLine; ANALYSIS_WEEK_CHANNELS_LINE=off leaves a dated view's channels table to its families (A/B, proofs). */
const weekChannelsLineOn = () => envSwitch('ANALYSIS_WEEK_CHANNELS_LINE') !== 'off';

/** weekChannelsLine's face-to-face part (sub-line.ts); ANALYSIS_WEEK_F2F_LINE=off leaves it out (A/B, proofs). */
const weekF2fLineOn = () => envSwitch('ANALYSIS_WEEK_F2F_LINE') !== 'off';

/**
 * A dated view's (a week's, or a few weeks') "Responses by channel" has the counts of its weeks' rows in the view
 * without the dates' "Responses by week": its online row is their online cells, its total their row totals (issue
 * #11, dis26). Nothing read that row as a line of the channels table: a week's view hid library 3 with online 7 and
 * the total 60 as partners beside school 20 and event 30, while the unfiltered weeks table (and the week's own, which
 * its week family keeps equal to it) showed week 1's online 7 and total 60, so 60 - 7 - 20 - 30 = 3. As crossTabLines
 * does for a cross-tab's row: where those cells are shown (each of the weeks' cell, summed), the count is known here
 * (exact bounds: never a partner); where the view is one week and the weeks table hides the cell (not zero), it is
 * hidden here too (showing it would give that cell away). Only where the true counts agree. No cycle: the weeks
 * table of the view without the dates reads only its own channels table and views without dates. The "Face to face
 * and other" cell (the sum of the other rows; bounds cannot say a sum) is read as a part of the line (sub-line.ts):
 * where it is shown, one small other row is not hidden alone (issue #11, week seed 284).
 */
async function weekChannelsLine(s: Scope, t: TableData, db: Db): Promise<ViewConstraints | undefined> {
	const f = s.filters;
	if (t.id !== 'channels' || f.min <= 0 || (f.from === undefined && f.to === undefined) || !weekChannelsLineOn())
		return undefined;
	const { weeksTableOf } = await registry();
	const wide: Filters = { ...f };
	delete wide.from;
	delete wide.to;
	const [mine, truth, shown] = await Promise.all([
		weeksTableOf(db, relatedScope(s, { ...f, min: 0 })),
		weeksTableOf(db, relatedScope(s, { ...wide, min: 0 })),
		weeksTableOf(db, relatedScope(s, wide))
	]);
	const own = tableCounts(mine);
	const all = tableCounts(truth);
	const hid = tableHidden(shown);
	// The view's weeks: its weeks table's rows with a count; each must be the same row in the view without the dates.
	const weeks = mine.rows
		.map((r) => r.key)
		.filter((k) => !k.startsWith('_') && (own.get(cellKey(k, '_total')) ?? 0) > 0);
	const cols = ['online', 'f2f', '_total'];
	if (!weeks.every((w) => cols.every((c) => (own.get(cellKey(w, c)) ?? 0) === (all.get(cellKey(w, c)) ?? 0))))
		return undefined;
	const counts = tableCounts(t);
	const out: ViewConstraints = { hide: new Set(), bounds: new Map() };
	for (const [col, row] of [
		['online', 'online'],
		['_total', '_total']
	] as const) {
		const at = cellKey(row, 'n');
		const n = weeks.reduce((sum, w) => sum + (all.get(cellKey(w, col)) ?? 0), 0);
		if ((counts.get(at) ?? 0) !== n) continue;
		if (weeks.every((w) => !hid.has(cellKey(w, col)))) out.bounds.set(at, [n, n]);
		else if (weeks.length === 1 && n > 0) out.hide.add(at);
	}
	// The "Face to face and other" cells, shown for every week of the view, publish the sum of the other rows: that
	// part of the line may not hide one count alone (seed 284: 15 - 14 = 1; analysis/sub-line.ts).
	if (weekF2fLineOn() && weeks.every((w) => !hid.has(cellKey(w, 'f2f')))) {
		const part = new Map(
			t.rows
				.map((r) => cellKey(r.key, 'n'))
				.filter((k) => k !== cellKey('online', 'n') && !k.startsWith('_'))
				.map((k) => [k, counts.get(k) ?? 0] as const)
		);
		const f2f = weeks.reduce((sum, w) => sum + (all.get(cellKey(w, 'f2f')) ?? 0), 0);
		if ([...part.values()].reduce((a, b) => a + b, 0) === f2f)
			for (const k of subLineHides(part, f.min)) out.hide.add(k);
	}
	return out.hide.size || out.bounds.size ? out : undefined;
}

/**
 * The channels table of this view as its page shows it (not as an equality round asks: the scope without a
 * sibling round) and its true counts, read once per view and threshold (every equality table of the view, and
 * each of its sibling rounds, asks for it).
 */
function channelsRead(
	s: Scope,
	db: Db
): Promise<{ counts: Map<string, number>; hidden: Set<string>; rows: string[]; small: Set<string> }> {
	const own = relatedScope(s, s.filters);
	return memoised(own, `channelsRead:${s.filters.min}`, async () => {
		const { channelsTableOf } = await registry();
		const [truth, shown] = await Promise.all([
			channelsTableOf(db, relatedScope(s, { ...s.filters, min: 0 })),
			channelsTableOf(db, own)
		]);
		// The hidden cells that read "<5" (1 to min − 1), not "[c]".
		const small = new Set<string>();
		for (const r of shown.rows)
			r.cells.forEach((c, j) => {
				if (c.suppressed && c.text.startsWith('<')) small.add(cellKey(r.key, shown.columns[j].key));
			});
		return { counts: tableCounts(truth), hidden: tableHidden(shown), rows: truth.rows.map((r) => r.key), small };
	});
}

/** The asked rows of an equality table (all but "Not asked"), with its "Total asked". */
const askedRows = (t: TableData) => t.rows.map((r) => r.key).filter((k) => k !== 'not_asked');

/**
 * Zeros an onlooker knows without any table of this view (issue #11, the random audit): hiding one as a partner
 * protects nothing, and the sibling families then read it off (a district's view hid the zeros of its equality
 * tables, which its online slice, empty, shows). Passed as exact bounds, so that it is never a partner:
 * - a row of a filterable value (a district, respondent type or channel: the dimension of a table declared in
 *   lines.ts CROSS_TAB_LINES) with no count: this view narrowed to that value is an empty page, and says so (in a
 *   view of one district, every other district's row; in a week's view, a district with nothing that week);
 * - the equality tables in a face-to-face channel's view: nobody there is asked, so every asked row is zero;
 * - the equality tables in a view with no online submissions (its online slice's page is empty, and shows it);
 * - every zero of the weeks table: each cell is a page (this view narrowed to that week and to online, or face to
 *   face), empty when the count is zero. Marking only whole empty columns (as first written) made a slice show its
 *   column's zeros while the view it is a slice of hid the same zeros as partners (the joint test's district ×
 *   weeks family read 7 off; with every zero known, none).
 * Only counts whose true value is zero are marked (a check, should the structure not hold).
 */
async function knownZeros(s: Scope, t: TableData, db?: Db): Promise<ViewConstraints | undefined> {
	const counts = tableCounts(t);
	const zero = new Set<string>();
	const mark = (k: string) => counts.get(k) === 0 && zero.add(k);
	const f = s.filters;
	const decl = CROSS_TAB_LINES[t.id];
	const byKey = (Object.keys(FILTER_DIMENSIONS) as FilterKey[]).find(
		(k) => decl && FILTER_DIMENSIONS[k] === decl.dimension
	);
	// A row of a filterable value with no count: that value's page (this view narrowed to it) is empty and says so.
	if (decl && byKey) for (const r of t.rows) if (!r.key.startsWith('_')) mark(cellKey(r.key, decl.column));
	const faceToFace =
		f.channel === FACE_TO_FACE || (FACE_TO_FACE_CHANNELS as readonly string[]).includes(f.channel ?? '');
	if (t.id.startsWith('eq-') && faceToFace) for (const k of askedRows(t)) mark(cellKey(k, 'n'));
	if (
		t.id.startsWith('eq-') &&
		f.channel === undefined &&
		db &&
		askedRows(t).every((k) => counts.get(cellKey(k, 'n')) === 0)
	) {
		// No online submissions in this view (its channels table has no online count), so its online slice's page
		// is empty. Read off the channels table, not the online slice's equality tables: a channel filter has no
		// aggregate path for the equality counts (aggregates.ts equalityLevel), and at 1,000,001 answers each such
		// slice read the submissions (about 3 s of SQL apiece, with the rule on: 5.2-6.5 s CPU for the page).
		const { channelsTableOf } = await registry();
		const channels = await channelsTableOf(db, relatedScope(s, { ...f, min: 0 }));
		if (!tableCounts(channels).get(cellKey('online', 'n'))) for (const k of askedRows(t)) mark(cellKey(k, 'n'));
	}
	// Each cell of the weeks table is a page: this view narrowed to that week and to online (or face to face).
	if (t.id === 'weeks') for (const r of t.rows) for (const col of ['online', 'f2f']) mark(cellKey(r.key, col));
	if (zero.size === 0) return undefined;
	return { hide: new Set(), bounds: new Map([...zero].map((k) => [k, [0, 0] as [number, number]])) };
}

/** One cross-tab a table can be a line of: its true counts, what it hides, where the table's row `k` is in it. */
interface CrossTabSource {
	counts: Map<string, number>;
	hidden: Set<string>;
	at: (k: string) => string;
	/** A count it hides (not zero) is hidden in the table too (a cross-tab the same builder publishes). */
	hides: boolean;
	/**
	 * The counts it reads "[c]" (the unfiltered cross-tab page): the table hides them too and reads them "[c]", never
	 * "<5" (LINE_LABELS; issue #11, the random audit's seed 34).
	 */
	blurred?: Set<string>;
}

/**
 * A district's (group's, channel's) page publishes its one-way table as that value's row of the unfiltered
 * cross-tab, and the pages of every value together re-form the cross-tab. Protected apart, a row hid other partners
 * than the cross-tab's and labelled "<5" a count the cross-tab read "[c]": seed 34's Redditch page read School "<5"
 * where the unfiltered district × channel cross-tab hid it as Event's partner ("[c]"), and with the channel totals
 * shown, 25 - 13 - 7 = 5 over five district pages' "<5"s pinned all five at 1. So the row hides at least what the
 * cross-tab hides there, with its labels: a count the cross-tab reads "[c]" reads "[c]" in the row (it then tells no
 * more than the cross-tab's row). Exported for the test that proves the rule (off: the attack reads seed 34 again).
 */
export const LINE_LABELS = { on: true };

/**
 * Tables that are a line of a cross-tab (issue #11). A table declared in registry.ts CROSS_TAB_LINES (the
 * districts, respondent types, channels and locations tables) shown in a view filtered to one value of a
 * filter with a dimension (FILTER_DIMENSIONS: district, group, channel) is that value's line of the cross-tab
 * of the filter by the table's dimension in the wider view without that filter. Two such cross-tabs are read:
 * - one the wider view's own builder publishes beside the table (PUBLISHED_CROSS_TABS: "Respondent types by
 *   district" beside the districts and groups tables), against every wider view one filter apart (it is built
 *   anyway, in the same request): a count it shows pins the same count here (known: never a partner, shown
 *   where hidden only as one), and one it hides (not zero) is hidden here too;
 * - the cross-tab page any officer can open (crossTabOf, either orientation: they hide alike), only against
 *   a wider view with no filter but the theme (a one-filter view against the unfiltered cross-tab), and only
 *   for the counts it shows (bounds). Against wider views with a sibling filter left, every slice of a
 *   two-filter family built its wider views' cross-tabs and their own families, which pushed the page's own
 *   results out of the analysis cache (200 entries) and made a warm Bromsgrove-and-children page 2.9 s
 *   instead of 36 ms; hiding what it hides made one-group views hide "Total asked" that their channel slices
 *   show outright (docs/analysis.md).
 * Each is used only where its true counts of the line are the table's (checked; the total only where it is the
 * same count).
 */
async function crossTabLines(
	s: Scope,
	wf: Filters[],
	wider: { truth: TableData[]; shown: TableData[] }[],
	t: TableData,
	db?: Db
): Promise<ViewConstraints | undefined> {
	if (s.filters.min <= 0) return undefined;
	const decl = CROSS_TAB_LINES[t.id];
	if (!decl) return undefined;
	const own = tableCounts(t);
	const key = (k: string) => (k === '_total' ? '_total' : (decl.key?.(k) ?? k));
	// The table's counts and its total.
	const rowsOf = t.rows.map((r) => r.key).filter((k) => k === '_total' || !k.startsWith('_'));
	let out: ViewConstraints | undefined;
	for (const [i, wide] of wf.entries()) {
		const left = narrowing(s.filters).filter((k) => wide[k] === undefined);
		const by = left.length === 1 ? FILTER_DIMENSIONS[left[0]] : undefined;
		if (!by || by === decl.dimension) continue;
		const value = String(s.filters[left[0]]);
		// Where row `k` of the table is in a cross-tab with `rows` as its rows.
		const atIn = (rows: Dimension) =>
			rows === by ? (k: string) => cellKey(value, key(k)) : (k: string) => cellKey(key(k), value);
		const sources: CrossTabSource[] = [];
		for (const p of PUBLISHED_CROSS_TABS) {
			if (!(p.rows === by && p.columns === decl.dimension) && !(p.rows === decl.dimension && p.columns === by))
				continue;
			const truth = wider[i].truth.find((x) => x.id === p.id);
			const shown = wider[i].shown.find((x) => x.id === p.id);
			if (truth && shown)
				sources.push({ counts: tableCounts(truth), hidden: tableHidden(shown), at: atIn(p.rows), hides: true });
		}
		if (db && !narrowing(wide).some((k) => k !== 'theme')) {
			// One orientation: the other is the same table turned round (dashboard.ts crossTabTable).
			const [a, b] =
				DIMENSIONS.indexOf(by) < DIMENSIONS.indexOf(decl.dimension) ? [by, decl.dimension] : [decl.dimension, by];
			const { crossTabOf } = await registry();
			const [truth, shown] = await Promise.all([
				crossTabOf(db, relatedScope(s, { ...wide, min: 0 }), a, b),
				crossTabOf(db, relatedScope(s, wide), a, b)
			]);
			const blurred = new Set<string>();
			if (LINE_LABELS.on)
				for (const r of shown.rows)
					r.cells.forEach(
						(c, j) => c.suppressed && !c.text.startsWith('<') && blurred.add(cellKey(r.key, shown.columns[j].key))
					);
			sources.push({ counts: tableCounts(truth), hidden: tableHidden(shown), at: atIn(a), hides: false, blurred });
		}
		for (const x of sources) {
			// The line must be this table: every count the same (a row the cross-tab lacks is zero there). Its
			// total may not be (a district's submissions against the sum over respondent types, where one
			// submission speaks as two): then the cells are read and the total is not.
			const same = (k: string) => (x.counts.get(x.at(k)) ?? 0) === (own.get(cellKey(k, decl.column)) ?? 0);
			if (!rowsOf.every((k) => k === '_total' || same(k))) continue;
			const c: ViewConstraints = { hide: new Set(), bounds: new Map() };
			for (const k of rowsOf) {
				const n = x.counts.get(x.at(k));
				if (n === undefined || !same(k)) continue;
				if (!x.hidden.has(x.at(k))) c.bounds.set(cellKey(k, decl.column), [n, n]);
				else if (x.hides && n > 0) c.hide.add(cellKey(k, decl.column));
				else if (x.blurred?.has(x.at(k)) && n > 0) {
					c.hide.add(cellKey(k, decl.column));
					(c.blur ??= new Set()).add(cellKey(k, decl.column));
				}
			}
			out = mergeConstraints(out, c);
		}
	}
	return out;
}

const sameSet = (a: Set<string> | undefined, b: Set<string> | undefined) => {
	if ((a?.size ?? 0) !== (b?.size ?? 0)) return false;
	if (a) for (const k of a) if (!b!.has(k)) return false;
	return true;
};

/** Whether two sets of constraints say the same (compared member by member: this runs for every slice and table each round). */
export const sameConstraints = (a: ViewConstraints | undefined, b: ViewConstraints | undefined) => {
	if (a === b) return true;
	if (!a || !b) return false;
	if (!sameSet(a.hide, b.hide) || !sameSet(a.blur, b.blur) || a.bounds.size !== b.bounds.size) return false;
	if (!!a.totalHidden !== !!b.totalHidden) return false;
	return sameBounds(a.bounds, b.bounds);
};

/**
 * The most slices protected together as one family (each is built a few times per data version). The
 * same rule for every sibling filter: beyond it, each filter's family on its own (widerConstraints);
 * one filter's family alone is always worked out whole, however many values it has.
 */
const MAX_FAMILY = 100;

/** The most rounds a family is protected for (each rebuilds the slices whose constraints changed). */
const MAX_ROUNDS = 12;

/**
 * After how many rounds running (from the third) in which a table's constraints changed it is
 * hidden whole in the family (siblingFamily). Families that settle do so within 2–6 rounds in the
 * bench; the weeks tables of a two-filter family move in three of them running.
 */
const WHOLE_AFTER = 4;

/**
 * The families worked out lately in this process (the last 200): how many rounds each took, whether
 * the last round changed nothing (settled), and the tables hidden whole because they kept moving.
 * For the tests and the bench; nothing reads it to decide anything.
 */
export const familyLog: { tag: string; slices: number; rounds: number; settled: boolean; whole: string[] }[] = [];

/**
 * A filter whose values cut the data into slices that add up to the view without it (siblings.ts):
 * district, respondent type (group), channel, and the dates as whole weeks. `slices`: the filters
 * of each value; `members`: the slices this scope's value covers (several for a union of them:
 * "All face to face", or a date range of several weeks).
 */
interface SiblingDimension {
	keys: ('district' | 'group' | 'channel' | 'from' | 'to' | 'question')[];
	slices: Partial<Filters>[];
	members: number[];
	/** The slices never overlap (a person has one district, channel and date, but may answer as two groups). */
	additive: boolean;
	/** How many slices the family counts as against MAX_FAMILY (the date family: every week, empty or not). */
	size?: number;
}

/** The sibling dimensions this scope's filters narrow (none without suppression). */
async function siblingDimensions(s: Scope, db?: Db): Promise<SiblingDimension[]> {
	const f = s.filters;
	const out: SiblingDimension[] = [];
	const one = (key: 'district' | 'group' | 'channel', values: string[], additive: boolean) => {
		const i = values.indexOf(f[key]!);
		const members =
			key === 'channel' && f.channel === FACE_TO_FACE ? FACE_TO_FACE_CHANNELS.map((c) => values.indexOf(c)) : [i];
		if (members.every((m) => m >= 0))
			out.push({ keys: [key], slices: values.map((v) => ({ [key]: v })), members, additive });
	};
	if (f.district !== undefined && s.districts) one('district', [...s.districts, UNKNOWN], true);
	if (f.group !== undefined && s.groups) one('group', [...s.groups, UNKNOWN], false);
	if (f.channel !== undefined) one('channel', [...CHANNELS], true);
	// A submission answers several questions (or, in a table's terms, none): these slices overlap and
	// need not cover the view without the filter (how each table's slices stand to its total is worked
	// out from the true counts in siblingFamily).
	if (f.question !== undefined && s.questionIds.has(f.question)) {
		const keys = [...s.questionIds.keys()];
		out.push({
			keys: ['question'],
			slices: keys.map((k) => ({ question: k })),
			members: [keys.indexOf(f.question)],
			additive: false
		});
	}
	// Not the theme filter: nothing an onlooker learns from the themes' views beside the view without a
	// theme goes beyond what the wider views already give (docs/analysis.md, "Questions are siblings").
	if ((f.from !== undefined || f.to !== undefined) && db) {
		// The weeks from the first submission (or week 1) to the last; a range covers those it overlaps.
		const start = s.opensAt?.slice(0, 10) ?? (await weekOne(db, { id: s.consultationId }));
		// The span does not depend on the filters: once per request's family (ANALYSIS_DATE_FAMILY=off: once per scope).
		const span = await (dateFamilyEnabled() ? memoisedInFamily : memoised)(s, 'weeks-span', () =>
			db
				.selectFrom('submission')
				.select((e) => [e.fn.min('created_at').as('first'), e.fn.max('created_at').as('last')])
				.where('consultation_id', '=', s.consultationId)
				.executeTakeFirst()
		);
		const day = (v: unknown) => String(v).slice(0, 10);
		const first = Math.min(1, span?.first ? weekOf(day(span.first), start) : 1);
		const last = Math.max(first, span?.last ? weekOf(day(span.last), start) : 1);
		const all = Array.from({ length: last - first + 1 }, (_, i) => weekBucket(first + i, start));
		const inRange = (w: { from: string; to: string }) => (!f.from || w.to >= f.from) && (!f.to || w.from <= f.to);
		let weeks = all;
		if (emptyWeeksLeftOut()) {
			// Only the weeks with submissions (issue #19, span37): an empty week's slice is all zeros (see below).
			const busy = await (dateFamilyEnabled() ? memoisedInFamily : memoised)(s, 'weeks-busy', async () => {
				const days = await db
					.selectFrom('submission')
					.select(sql<string>`substr(created_at, 1, 10)`.as('day'))
					.distinct()
					.where('consultation_id', '=', s.consultationId)
					.execute();
				return new Set(days.map((d) => weekOf(day(d.day), start)));
			});
			const kept = all.filter((w) => busy.has(w.week));
			// A range with no submissions at all keeps every week (as before: nothing to gain, nothing to risk).
			if (kept.some(inRange)) weeks = kept;
		}
		const members = weeks.flatMap((w, i) => (inRange(w) ? [i] : []));
		if (members.length)
			out.push({
				keys: ['from', 'to'],
				slices: weeks.map((w) => ({ from: w.from, to: w.to })),
				members,
				additive: true,
				// Whether the family is worked out with the other filters' (MAX_FAMILY) goes by every week, as before.
				size: all.length
			});
	}
	return out;
}

/**
 * ANALYSIS_EMPTY_WEEKS=off: the date family has a slice for every week from the first to the last submission's,
 * as before issue #19's span37. On, it has the weeks with submissions only (and every week for a range that has
 * none). An empty week's slice shows zeros only: along a line it hides nothing, a zero it shows adds nothing to
 * the line's sums, and a zero it is asked to hide it shows anyway (known: the week's page is empty), so it is
 * pinned at 0 from the next round (siblings.ts label). A consultation with one late submission (a test before
 * opening, a paper form typed months after closing) had ~495 such weeks, each built every round (150 s a page).
 */
const emptyWeeksLeftOut = () => envSwitch('ANALYSIS_EMPTY_WEEKS') !== 'off';

/** What the cache keys of a dated view add with ANALYSIS_EMPTY_WEEKS=off (a page cached in the other mode is not reused). */
const weeksKey = (f: Filters) =>
	(f.from === undefined && f.to === undefined) || emptyWeeksLeftOut() ? '' : '|all-weeks';

/** Every combination of one slice from each dimension, as the indices of the slices. */
function product(sizes: number[]): number[][] {
	return sizes.reduce<number[][]>((acc, n) => acc.flatMap((c) => Array.from({ length: n }, (_, i) => [...c, i])), [[]]);
}

/**
 * What this scope's view must hide because of its sibling views: the constraints of its slice of
 * the family (siblingFamily), or, for a union of slices ("All face to face", several weeks), every
 * cell any of its slices hides, read "[c]": each count it shows is then the sum of counts its
 * slices show, so it tells an onlooker nothing the slices do not.
 */
async function siblingConstraintsOf(
	s: Scope,
	dims: SiblingDimension[],
	tag: string,
	build: (scope: Scope) => Promise<TableData[]>,
	db?: Db
): Promise<Map<string, ViewConstraints>> {
	const family = await siblingFamily(s, dims, tag, build, db);
	const members = product(dims.map((d) => d.members.length)).map((c) =>
		JSON.stringify(c.map((k, i) => dims[i].members[k]))
	);
	if (members.length === 1) return family.get(members[0]) ?? new Map();
	const out = new Map<string, ViewConstraints>();
	for (const m of members)
		for (const [id, c] of family.get(m) ?? []) {
			const had = out.get(id) ?? { hide: new Set<string>(), bounds: new Map(), blur: new Set<string>() };
			for (const k of c.hide) {
				had.hide.add(k);
				had.blur!.add(k);
			}
			out.set(id, had);
		}
	return out;
}

/**
 * Sibling views (siblings.ts): every slice of the family (each district, and "not given"; each
 * group; each channel; each week; with two such filters, every combination), with the other
 * filters as they are, protected together against the views without one of those filters. Each
 * slice is first protected as on its own (with its wider views); then, round by round, every slice
 * is rebuilt with what siblingConstraints says along each of its lines (the slices that differ
 * only in one dimension, against the view without that dimension: the cells any of them or the
 * line's total hides, hidden in all; bounds from the line; "<5" that would pin read "[c]") until a
 * round changes nothing, so every slice's page, which applies the same final constraints, shows
 * what was checked. Worked out once per request for the whole family (on the scope without those
 * filters), and kept per data version. Keys: the slice's indices, as JSON.
 */
function siblingFamily(
	s: Scope,
	dims: SiblingDimension[],
	tag: string,
	build: (scope: Scope) => Promise<TableData[]>,
	db?: Db
): Promise<Map<string, Map<string, ViewConstraints>>> {
	const base: Filters = { ...s.filters };
	for (const d of dims) for (const k of d.keys) delete base[k];
	const bs = relatedScope(s, base);
	const withSlices = (c: (number | undefined)[]): Filters =>
		Object.assign({ ...base }, ...c.map((k, i) => (k === undefined ? {} : dims[i].slices[k])));
	const work = async () => {
		const coords = product(dims.map((d) => d.slices.length));
		const slices = coords.map((c) => {
			const scope = relatedScope(s, withSlices(c));
			scope.memo ??= new Map();
			return scope;
		});
		// The lines: for each dimension, the slices that agree on the others, and the view without it.
		const lines = dims.flatMap((d, i) => {
			const byRest = new Map<string, number[]>();
			coords.forEach((c, j) => {
				const rest = JSON.stringify(c.map((k, x) => (x === i ? -1 : k)));
				byRest.set(rest, [...(byRest.get(rest) ?? []), j]);
			});
			return [...byRest].map(([rest, members]) => ({
				key: `${i}:${rest}`,
				members,
				total: relatedScope(s, withSlices(coords[members[0]].map((k, x) => (x === i ? undefined : k)))),
				additive: d.additive
			}));
		});
		const totals: TableData[][] = [];
		for (const l of lines) totals.push((await build(l.total)).filter((t) => !t.ticks));
		// Where slices may overlap, whether a table's lines add up (its counts are of answers or
		// perspectives, each in one group) or not (submissions, which may be in two groups).
		const additive = new Map<string, boolean | 'within'>();
		for (const [li, l] of lines.entries()) {
			if (l.additive) continue;
			const truth = (f: Filters) => build(relatedScope(s, { ...f, min: 0 }));
			const total = await truth(l.total.filters);
			const parts: TableData[][] = [];
			for (const m of l.members) parts.push(await truth(slices[m].filters));
			for (const t of totals[li]) {
				const sums = new Map<string, number>();
				// By column key, not position: a group's theme table has that group's column only.
				for (const p of parts) {
					const pt = p.find((x) => x.id === t.id);
					for (const r of pt?.rows ?? [])
						r.cells.forEach((c, j) => {
							const k = cellKey(r.key, pt!.columns[j].key);
							sums.set(k, (sums.get(k) ?? 0) + (c.n ?? 0));
						});
				}
				const tt = total.find((x) => x.id === t.id);
				const every = (ok: (sum: number, n: number) => boolean) =>
					!!tt &&
					tt.rows.every((r) => r.cells.every((c, j) => ok(sums.get(cellKey(r.key, tt.columns[j].key)) ?? 0, c.n ?? 0)));
				// Exactly (answers or perspectives: each in one slice), at least (every one in some slice),
				// or neither (a submission that answered no question, an answer with no theme).
				additive.set(`${l.key}|${t.id}`, every((a, n) => a === n) ? true : every((a, n) => a >= n) ? false : 'within');
			}
		}
		let extras: Map<string, ViewConstraints>[] = slices.map(() => new Map());
		const blur = new Map<string, Set<string>>();
		const retried = new Map<string, Set<string>>();
		const sameMaps = (a: Map<string, ViewConstraints>, b: Map<string, ViewConstraints>) =>
			a.size === b.size && [...a].every(([id, c]) => sameConstraints(c, b.get(id)));
		// Each slice's tables as last built, and with what: a slice whose constraints a round leaves as
		// they were is not built again (the same constraints give the same tables).
		const shown: TableData[][] = [];
		const builtWith: (Map<string, ViewConstraints> | undefined)[] = slices.map(() => undefined);
		// Rounds in a row (from the third, when what a round asks only grows) in which each table's
		// constraints changed in some slice, and the tables hidden whole (see below).
		const moving = new Map<string, number>();
		const whole = new Set<string>();
		let settled = false;
		let round = 0;
		const ownOf: Map<string, ViewConstraints>[] = [];
		for (; round < MAX_ROUNDS; round++) {
			// One slice after another: all at once would ask the database for every slice's counts
			// together (a PostgreSQL pool would run out of connections under load).
			for (const [i, scope] of slices.entries()) {
				if (builtWith[i] && sameMaps(builtWith[i]!, extras[i])) continue;
				shown[i] = await build({ ...scope, siblingRound: extras[i] });
				builtWith[i] = extras[i];
			}
			// Each slice's own wider views' constraints (memoised: its builds above read them), for siblingConstraints'
			// `known` (what those views give away of each count, beside the line).
			if (!ownOf.length) for (const scope of slices) ownOf.push(await ownWider(scope, tag, build, db));
			const next: Map<string, ViewConstraints>[] = slices.map(() => new Map());
			for (const [li, l] of lines.entries())
				for (const t of totals[li]) {
					const r = siblingConstraints(
						l.members.map((m) => shown[m].find((x) => x.id === t.id)),
						t,
						s.filters.min,
						blur.get(`${l.key}|${t.id}`),
						round > 0 ? l.members.map((m) => extras[m].get(t.id) ?? { hide: new Set(), bounds: new Map() }) : undefined,
						l.additive || (additive.get(`${l.key}|${t.id}`) ?? false),
						l.members.map((m) => ownOf[m].get(t.id)?.bounds),
						retried.get(`${l.key}|${t.id}`) ?? new Set()
					);
					blur.set(`${l.key}|${t.id}`, r.blur);
					retried.set(`${l.key}|${t.id}`, r.retried);
					r.perSlice.forEach((c, j) =>
						next[l.members[j]].set(t.id, mergeConstraints(next[l.members[j]].get(t.id), c)!)
					);
				}
			// From the third round on, what a round asks only grows (the last round's constraints kept,
			// merged with the new): a family whose slices' answers flip between two ways of hiding would
			// otherwise run to the cap and end on constraints no round had checked.
			if (round >= 2) next.forEach((m, i) => (next[i] = mergeMaps(extras[i], m)));
			settled = next.every((m, i) => sameMaps(m, extras[i]));
			if (!settled && round >= 2) {
				// A table whose lines keep moving (each round hides one more cell somewhere, which the
				// other slices then hide too and protect again: the locations table of a district and
				// a group, 48 slices) would reach the cap still moving, and its pages would apply
				// constraints no round had checked. Once it has moved four rounds running (or the
				// cap is near), every count it has is hidden in every slice ("[c]"), so it has nothing
				// left to move, and the remaining rounds check that as they check the rest.
				const ids = new Set(next.flatMap((m) => [...m.keys()]));
				for (const id of ids) {
					const moved = next.some((m, i) => !sameConstraints(m.get(id), extras[i].get(id)));
					moving.set(id, moved ? (moving.get(id) ?? 0) + 1 : 0);
					if (!moved || whole.has(id) || (moving.get(id)! < WHOLE_AFTER && round < MAX_ROUNDS - 3)) continue;
					whole.add(id);
					next.forEach((m, i) => {
						const t = shown[i].find((x) => x.id === id);
						if (!t) return;
						const all = new Set<string>();
						for (const r of t.rows)
							r.cells.forEach((c, j) => (c.n !== null || c.suppressed) && all.add(cellKey(r.key, t.columns[j].key)));
						m.set(id, mergeConstraints(m.get(id), { hide: all, bounds: new Map(), blur: all })!);
					});
				}
			}
			extras = next;
			if (settled) break;
		}
		familyLog.push({ tag, slices: slices.length, rounds: Math.min(round + 1, MAX_ROUNDS), settled, whole: [...whole] });
		if (familyLog.length > 200) familyLog.shift();
		return new Map(coords.map((c, i) => [JSON.stringify(c), extras[i]]));
	};
	// The date family's slices, when not every week (ANALYSIS_EMPTY_WEEKS): a cached family of the other kind is not this one.
	const key = `${tag}|${JSON.stringify(base)}|${dims.map((d) => d.keys.join('+') + (d.size !== undefined && d.size !== d.slices.length ? `/${d.slices.length}` : '')).join(',')}`;
	return memoised(bs, `siblings:${key}`, () =>
		db ? cachedAnalysis(db, s.consultationId, `siblings|${key}`, work) : work()
	);
}

/**
 * One-filter views of different filters that show the same count label it alike (issue #11, the random audit's
 * seed 27). A district's view and a respondent type's view are not wider or sibling views of each other, so each is
 * protected with its own family; yet where everyone of a channel in the district is of that type and everyone of
 * that type and channel is in the district, both views' channels tables show one count (the attacker knows it: the
 * other districts' and types' slices show zeros there). The young people's view read Event "[c]" (its family's "<5"
 * would have pinned it), Bromsgrove's view read the same 1 "<5", which gave the "at least 1" back: with 7 − 5 =
 * library "<5" + event, both were 1. So a "<5" here reads "[c]" where a view of one value of another filter
 * (district, group, channel) reads the same count "[c]" as protected on its own (`pre`: the builder without this
 * rule, so neither view waits for the other). The same count: the two views' counts and that of the slice of both
 * filters are equal (one set). Only labels change (labels.ts), so nothing any family checked is shown anew.
 * `pre` builds a scope's tables before this rule; the tables checked are the one-way tables of lines.ts
 * CROSS_TAB_LINES. ANALYSIS_COUSIN_LABELS=off leaves the labels as protected (for A/B runs and the tests' proof).
 */
export async function cousinLabels(
	s: Scope,
	own: TableData[],
	pre: (scope: Scope) => Promise<TableData[]>
): Promise<TableData[]> {
	const f = s.filters;
	if (envSwitch('ANALYSIS_COUSIN_LABELS') === 'off' || f.min <= 0 || s.siblingRound) return own;
	const active = narrowing(f);
	const by = active.length === 1 ? active[0] : undefined;
	if (!by || !FILTER_DIMENSIONS[by] || f[by] === FACE_TO_FACE) return own;
	const small = (t: TableData, k: string, col: string) => {
		const cell = t.rows.find((r) => r.key === k)?.cells[t.columns.findIndex((c) => c.key === col)];
		return !!cell?.suppressed && cell.text.startsWith('<');
	};
	// The rows of each table that read "<5" (nothing to do without one: the common case costs no other view).
	const asked = new Map<string, string[]>();
	for (const t of own) {
		const decl = CROSS_TAB_LINES[t.id];
		const rows = decl ? t.rows.map((r) => r.key).filter((k) => small(t, k, decl.column)) : [];
		if (rows.length) asked.set(t.id, rows);
	}
	if (asked.size === 0) return own;
	const base: Filters = { ...f };
	delete base[by];
	const tablesOf = (extra: Partial<Filters>, min: number) => pre(relatedScope(s, { ...base, ...extra, min }));
	const countsIn = (tables: TableData[], id: string) => {
		const t = tables.find((x) => x.id === id);
		return t ? tableCounts(t) : new Map<string, number>();
	};
	const mine = await tablesOf({ [by]: f[by] }, 0);
	const others: [FilterKey, string[]][] = [];
	if (by !== 'district' && s.districts) others.push(['district', [...s.districts, UNKNOWN]]);
	if (by !== 'group' && s.groups) others.push(['group', [...s.groups, UNKNOWN]]);
	if (by !== 'channel') others.push(['channel', [...CHANNELS]]);
	const blur = new Map<string, Set<string>>();
	for (const [key, values] of others)
		for (const v of values) {
			const theirs = await tablesOf({ [key]: v }, 0);
			let both: TableData[] | undefined;
			let shown: TableData[] | undefined;
			for (const [id, rows] of asked) {
				const column = CROSS_TAB_LINES[id].column;
				const n = (tables: TableData[], k: string) => countsIn(tables, id).get(cellKey(k, column)) ?? 0;
				for (const k of rows) {
					const count = n(mine, k);
					if (count === 0 || n(theirs, k) !== count) continue;
					both ??= await tablesOf({ [by]: f[by], [key]: v }, 0);
					if (n(both, k) !== count) continue;
					shown ??= await tablesOf({ [key]: v }, f.min);
					const t = shown.find((x) => x.id === id);
					const cell = t?.rows.find((r) => r.key === k)?.cells[t.columns.findIndex((c) => c.key === column)];
					if (cell?.suppressed && !cell.text.startsWith('<'))
						(blur.get(id) ?? blur.set(id, new Set()).get(id)!).add(cellKey(k, column));
				}
			}
		}
	return own.map((t) => (blur.has(t.id) ? blurLabels(t, blur.get(t.id)!, f.min) : t));
}
