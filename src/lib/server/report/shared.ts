/**
 * The report as a read-only share link shows it (issue #14): built by `reportData`, the same
 * data as the staff report and its downloads, for all responses at the default tick rule and
 * never below the default suppression threshold, then cut to what may leave the council:
 *
 * - quotes: only those approved for the public (starred, unflagged, `public_at` set), their
 *   text redacted once more on the way out (as the public results page does);
 * - tables: no links to staff pages;
 * - narrative: the sections as saved (the method section's draft until it is), without who
 *   saved them or when;
 * - wordings: an answer count below the threshold is not given.
 *
 * "You said, we did" (the actions on the results page) is added, as the public page has it, each status in words.
 */
import type { Db } from '../db/connect';
import type { ConsultationView } from '../consultations/queries';
import type { TableData } from '../../analysis/tables';
import { parseFilters, parseTickRule } from '../../analysis/filters';
import { DEFAULT_MIN_CELL } from '../../analysis/suppress';
import { scopeOf } from '../analysis/scope';
import { ACTION_STATUSES, listActions, resultsQuotes, type ActionView } from '../results';
import { reportData, type ReportData } from './data';

/** A table without links to staff pages (the cells' figures unchanged). */
function withoutLinks(t: TableData): TableData {
	return { ...t, rows: t.rows.map((r) => ({ ...r, cells: r.cells.map(({ href: _href, ...cell }) => cell) })) };
}

const statusText = (s: string) => ACTION_STATUSES.find((x) => x.value === s)?.label ?? s;

/** An action as the share link shows it (page and Word copy): its status, and each update's, in words. */
function sharedAction(a: ActionView) {
	return {
		...a,
		statusText: statusText(a.status),
		updates: a.updates.map((u) => ({ ...u, statusText: statusText(u.status) }))
	};
}

export type SharedAction = ReturnType<typeof sharedAction>;

export async function sharedReportData(db: Db, c: ConsultationView) {
	const none = new URLSearchParams();
	const filters = parseFilters(none);
	filters.min = Math.max(DEFAULT_MIN_CELL, filters.min);
	const [data, approved, actions] = await Promise.all([
		// The staff base: the figures are cached under the same key as the staff report's (links stripped below).
		reportData(db, c, filters, scopeOf(c, filters), parseTickRule(none), `/admin/c/${c.slug}`),
		resultsQuotes(db, c.id, true),
		listActions(db, c.id)
	]);
	const publicText = new Map(approved.map((q) => [`${q.themeId}:${q.answerId}`, q.text]));
	const quotes: ReportData['quotes'] = data.quotes
		.map((t) => ({
			...t,
			quotes: t.quotes
				.filter((q) => publicText.has(`${t.themeId}:${q.answerId}`))
				.map((q) => {
					const text = publicText.get(`${t.themeId}:${q.answerId}`)!;
					return { ...q, text, original: text };
				})
		}))
		.filter((t) => t.quotes.length > 0);
	const shared: ReportData = {
		...data,
		groups: data.groups.map(withoutLinks),
		channels: data.channels.map(withoutLinks),
		equality: data.equality.map(withoutLinks),
		perQuestion: data.perQuestion.map((q) => ({ ...q, ticks: withoutLinks(q.ticks), counts: withoutLinks(q.counts) })),
		quotes,
		narrative: data.narrative.map((s) => ({ ...s, saved: false, updatedAt: null })),
		wordings: data.wordings.map((w) => ({
			...w,
			versions: w.versions.map((v) => ({ ...v, answers: v.answers > 0 && v.answers < filters.min ? -1 : v.answers }))
		}))
	};
	return { report: shared, actions: actions.map(sharedAction), min: filters.min };
}

export type SharedReport = Awaited<ReturnType<typeof sharedReportData>>;
