/**
 * "You said, we did" as parts of the report's outline (outline.ts), for the share link's Word copy: the
 * same actions, words and dated updates as the share page shows (share/[token]/+page.svelte, ActionUpdates).
 */
import { longDate } from '../../i18n/format';
import type { Block } from '../../report/markdown';
import type { SharedAction } from './shared';
import type { Part } from './outline';

const ACTIONS_HEADING = 'You said, we did';

export function actionsOutline(actions: SharedAction[]): Part[] {
	if (actions.length === 0) return [];
	const day = (iso: string) => longDate(iso, 'en-GB');
	return [
		{ kind: 'heading', level: 2, text: ACTIONS_HEADING },
		...actions.map((a): Part => ({
			kind: 'narrative',
			blocks: [
				{
					kind: 'paragraph',
					runs: [{ text: 'You said: ', bold: true }, { text: `${a.themeLabel} (${a.questionKey.toUpperCase()})` }]
				},
				{ kind: 'paragraph', runs: [{ text: 'What we are doing: ', bold: true }, { text: a.action }] },
				{
					kind: 'paragraph',
					runs: [{ text: `Who: ${a.owner} · When: ${a.due} · ` }, { text: a.statusText, bold: true }]
				},
				...(a.updates.length > 0
					? [
							{ kind: 'paragraph', runs: [{ text: `Updates (${a.updates.length})` }] } satisfies Block,
							...a.updates.map((u): Block => ({
								kind: 'item',
								ordered: false,
								depth: 0,
								runs: [{ text: `${day(u.at)}: ${u.statusText}${u.note ? `. ${u.note}` : ''}` }]
							}))
						]
					: [])
			]
		}))
	];
}
