/** The data of the results page as the page component takes it (public page and share link). */
import { barsOf, defaultMeasure } from '../../analysis/chart';
import { UNKNOWN } from '../../analysis/filters';
import type { TableData } from '../../analysis/tables';
import type { Channel } from '../../domain/channels';
import { m } from '../../paraglide/messages';
import type { ConsultationView } from '../consultations/queries';
import type { ActionStatus } from '../db/schema';
import type { PublicResults } from './index';

/*
 * The page's words are in its language (messages/<lang>.json). The tables come from the
 * analysis cache, which is shared by every language and by staff pages, so their English
 * captions and headings are replaced here by key, and the groups', districts' and questions'
 * names are taken from the consultation in the page's language (its translations, else
 * English). Themes keep the names officers gave them. Nothing here changes a figure.
 */
const STATUS_WORDS: Record<ActionStatus, { label: () => string; easy: () => string }> = {
	planned: { label: m.status_planned, easy: m.status_planned_easy },
	in_progress: { label: m.status_in_progress, easy: m.status_in_progress_easy },
	done: { label: m.status_done, easy: m.status_done_easy },
	not_doing: { label: m.status_not_doing, easy: m.status_not_doing_easy }
};

const CHANNEL_WORDS: Record<Channel, () => string> = {
	online: m.channel_online,
	library: m.channel_library,
	school: m.channel_school,
	event: m.channel_event,
	paper: m.channel_paper,
	import: m.channel_import
};

const TABLE_WORDS: Record<string, { caption: () => string; rowHeading: () => string; count: () => string }> = {
	groups: { caption: m.res_types_caption, rowHeading: m.res_type, count: m.res_count_pct },
	districts: { caption: m.res_districts_caption, rowHeading: m.res_district, count: m.res_submissions },
	channels: { caption: m.res_channels_caption, rowHeading: m.res_channel, count: m.res_submissions }
};

type Words = Pick<ConsultationView, 'groups' | 'districts'>;

const groupName = (c: Words, key: string, fallback: string) => c.groups.find((g) => g.code === key)?.label ?? fallback;

/** A table of who took part, in the page's language. */
function tallyInLanguage(t: TableData, c: Words): TableData {
	const words = TABLE_WORDS[t.id];
	if (!words) return t;
	const rowLabel = (key: string, label: string): string => {
		if (key === '_total') return m.res_total();
		if (key === UNKNOWN) return t.id === 'districts' ? m.res_not_given() : m.res_not_known();
		if (t.id === 'channels') return CHANNEL_WORDS[key as Channel]?.() ?? label;
		if (t.id === 'districts') return c.districts.find((d) => d.code === key)?.label ?? label;
		return groupName(c, key, label);
	};
	return {
		...t,
		caption: words.caption(),
		rowHeading: words.rowHeading(),
		columns: t.columns.map((col) => (col.key === 'n' ? { ...col, label: words.count() } : col)),
		rows: t.rows.map((r) => ({ ...r, label: rowLabel(r.key, r.label) }))
	};
}

/** A question's theme table (themes by group), in the page's language. */
function themesInLanguage(t: TableData, key: string, c: Words): TableData {
	return {
		...t,
		caption: m.res_q_caption({ key: key.toUpperCase() }),
		rowHeading: m.res_theme(),
		columns: t.columns.map((col) => ({
			...col,
			label: col.key === '_all' ? m.res_all_groups() : groupName(c, col.key, col.label)
		})),
		rows: t.rows.map((r) =>
			r.key === '_answers' ? { ...r, label: m.res_answers() } : r.key === '_total' ? { ...r, label: m.res_total() } : r
		)
	};
}

export function resultsPageData(c: ConsultationView, results: PublicResults, easy: boolean) {
	const statusText = (s: ActionStatus) => (easy ? STATUS_WORDS[s].easy() : STATUS_WORDS[s].label());
	return {
		easy,
		slug: c.slug,
		title: c.title,
		organisation: c.organisation,
		summary: results.summary,
		publishedAt: results.publishedAt,
		submissions: results.submissions,
		tables: results.tables.map((t) => {
			const table = tallyInLanguage(t, c);
			return { table, bars: barsOf(table, 0, 'count'), measure: 'count' as const };
		}),
		questions: results.questions.map((q) => {
			const table = themesInLanguage(q.table, q.key, c);
			const all = table.columns.length - 1;
			const measure = defaultMeasure(table, all);
			return {
				...q,
				text: c.questions.find((x) => x.key === q.key)?.text ?? q.text,
				table,
				bars: barsOf(table, all, measure),
				measure
			};
		}),
		actions: results.actions.map((a) => ({
			...a,
			statusText: statusText(a.status),
			updates: a.updates.map((u) => ({ ...u, statusText: statusText(u.status) }))
		}))
	};
}
