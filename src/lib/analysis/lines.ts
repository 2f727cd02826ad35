/**
 * Which tables are a line of which cross-tab (disclosure control across views, issue #11; applied by
 * src/lib/server/analysis/wider.ts crossTabLines). Declarations only, beside nothing that builds tables, so
 * that wider.ts reads them without importing the table builders (registry.ts re-exports them).
 */
import type { Dimension } from './dimensions';
import type { Filters } from './filters';

/**
 * Tables whose counts are one line of a cross-tab: in a view filtered to one value of a filter, each such table
 * is that value's line of the cross-tab of the filter's dimension by the table's, in the view without that
 * filter (a group's channels table is that group's row of "Respondent group by channel" in the unfiltered view).
 * `column`: the table's count column; `key`: the cross-tab's key of a row of the table (when they differ).
 * wider.ts checks on the true counts that the line is the table before it uses it. A new table needs only its
 * declaration here.
 *
 * Not the equality tables (eq-*, each a line of the cross-tab by gender, disability and so on): declared, their
 * bounds changed which partners the one-group views chose, and those views then hid "Total asked" that their
 * channel slices show outright (tests/disclosure-joint.test.ts, group × channel). Open (docs/analysis.md).
 */
export const CROSS_TAB_LINES: Record<string, { dimension: Dimension; column: string; key?: (k: string) => string }> = {
	districts: { dimension: 'district', column: 'n' },
	groups: { dimension: 'group', column: 'n' },
	channels: { dimension: 'channel', column: 'n' },
	locations: { dimension: 'location', column: 'responses' }
};

/** The filters whose single value is a line of a cross-tab: the filter's dimension. */
export const FILTER_DIMENSIONS: Partial<Record<keyof Filters, Dimension>> = {
	district: 'district',
	group: 'group',
	channel: 'channel'
};

/**
 * Cross-tabs a table builder publishes beside the tables that are its lines (the groups builder's "Respondent
 * types by district", groups as rows, beside the groups and districts tables): read from the wider views already
 * built, against every wider view one filter apart, at no extra cost.
 */
export const PUBLISHED_CROSS_TABS: { id: string; rows: Dimension; columns: Dimension }[] = [
	{ id: 'groups-districts', rows: 'group', columns: 'district' }
];
