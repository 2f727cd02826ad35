/** Safeguarding flag statuses and the moves between them; safe to use in the browser. */
export type FlagStatus = 'new' | 'reviewed' | 'referred' | 'no_action';

export const FLAG_STATUSES: FlagStatus[] = ['new', 'reviewed', 'referred', 'no_action'];

export const STATUS_LABELS: Record<FlagStatus, string> = {
	new: 'New',
	reviewed: 'Reviewed',
	referred: 'Referred',
	no_action: 'No action needed'
};

/**
 * Where a flag may go next: new → reviewed → referred or no action. A flag can
 * go straight from new to referred when the worry is obvious, and a closed flag
 * can be reopened (back to reviewed) if new information arrives.
 */
export const NEXT_STATUS: Record<FlagStatus, FlagStatus[]> = {
	new: ['reviewed', 'referred', 'no_action'],
	reviewed: ['referred', 'no_action'],
	referred: ['reviewed'],
	no_action: ['reviewed']
};
