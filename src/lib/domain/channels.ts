/** How a response reached us. `online` is the survey; the rest are face to face or imported. */
export const CHANNELS = ['online', 'library', 'school', 'event', 'paper', 'import'] as const;
export type Channel = (typeof CHANNELS)[number];

export const FACE_TO_FACE_CHANNELS = ['library', 'school', 'event', 'paper'] as const;

export const CHANNEL_LABELS: Record<Channel, string> = {
	online: 'Online survey',
	library: 'Library engagement tree',
	school: 'School',
	event: 'Event',
	paper: 'Paper form',
	import: 'Imported'
};
