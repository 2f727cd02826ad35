/** Reading coverage as staff see it; safe to use in the browser. */

/** The respondent groups whose every answer a person must read. */
export const READ_ALL_GROUPS = ['child', 'young_person'] as const;

export interface Coverage {
	read: number;
	total: number;
	/** When the oldest unread answer was submitted; null when none is unread. */
	oldestUnreadAt: string | null;
}

/** "3,412 of 3,690 answers from children and young people read by a person; oldest unread 2 days" */
export function coverageSentence(c: Coverage, now: Date = new Date()): string {
	const n = (v: number) => v.toLocaleString('en-GB');
	const head = `${n(c.read)} of ${n(c.total)} answer${c.total === 1 ? '' : 's'} from children and young people read by a person`;
	if (!c.oldestUnreadAt) return c.total === 0 ? head : `${head}; none unread`;
	return `${head}; oldest unread ${age(new Date(c.oldestUnreadAt), now)}`;
}

function age(then: Date, now: Date): string {
	const minutes = Math.max(0, Math.floor((now.getTime() - then.getTime()) / 60000));
	if (minutes < 60) return minutes <= 1 ? '1 minute' : `${minutes} minutes`;
	const hours = Math.floor(minutes / 60);
	if (hours < 24) return hours === 1 ? '1 hour' : `${hours} hours`;
	const days = Math.floor(hours / 24);
	return days === 1 ? '1 day' : `${days} days`;
}

/** What staff without the safeguarding permission see instead of a flagged answer's words. */
export const WITHHELD_TEXT = 'withheld: under safeguarding review';
