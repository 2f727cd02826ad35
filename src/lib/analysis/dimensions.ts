/** The dimensions a cross-tab can use, and how their values read. */
import { CHANNEL_LABELS, type Channel } from '../domain/channels';
import { EQUALITY_QUESTIONS, SENTINELS, SENTINEL_LABELS, type EqualityField } from '../domain/equality';

export const DIMENSIONS = [
	'group',
	'district',
	'channel',
	'location',
	'gender',
	'disability',
	'age',
	'ethnicity',
	'orientation',
	'week'
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const DIMENSION_LABELS: Record<Dimension, string> = {
	group: 'Respondent group',
	district: 'District',
	channel: 'Channel',
	location: 'Location',
	gender: 'Gender',
	disability: 'Disability',
	age: 'Age band',
	ethnicity: 'Ethnicity',
	orientation: 'Sexual orientation',
	week: 'Week'
};

export const EQUALITY_DIMENSION: Partial<Record<Dimension, EqualityField>> = {
	gender: 'gender',
	disability: 'disability',
	age: 'ageBand',
	ethnicity: 'ethnicity',
	orientation: 'sexualOrientation'
};

export function isDimension(v: string | null): v is Dimension {
	return v !== null && (DIMENSIONS as readonly string[]).includes(v);
}

/** Ordered categories of an equality field: its options, then the three sentinels kept apart. */
export function equalityCategories(field: EqualityField): { key: string; label: string; sentinel: boolean }[] {
	return [
		...EQUALITY_QUESTIONS[field].options.map((o) => ({ key: o.code, label: o.label, sentinel: false })),
		...SENTINELS.map((s) => ({ key: s, label: SENTINEL_LABELS[s], sentinel: true }))
	];
}

export function channelLabel(c: string): string {
	return CHANNEL_LABELS[c as Channel] ?? c;
}
