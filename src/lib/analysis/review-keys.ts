/**
 * The review screen's keyboard: which key does what, the officer's own settings
 * (single-key shortcuts can be switched off or remapped: WCAG 2.1.4 Character Key
 * Shortcuts), and where focus goes after a save so that it never skips an answer.
 */

export const KEY_ACTIONS = ['next', 'previous', 'save', 'select', 'themes'] as const;
export type KeyAction = (typeof KEY_ACTIONS)[number];

export const KEY_LABELS: Record<KeyAction, string> = {
	next: 'Next answer',
	previous: 'Previous answer',
	save: 'Save the coding and go to the next answer not yet reviewed',
	select: 'Select for a bulk change',
	themes: 'Go to the answer’s themes (every theme, with Tab and Space)'
};

export const DEFAULT_KEYS: Record<KeyAction, string> = {
	next: 'j',
	previous: 'k',
	save: 's',
	select: 'x',
	themes: 't'
};

/** Keys 1–9 then 0 tick the first ten themes; the rest are reached with the "themes" key and Tab. */
export const THEME_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'];

export interface KeySettings {
	enabled: boolean;
	keys: Record<KeyAction, string>;
}

export const DEFAULT_SETTINGS: KeySettings = { enabled: true, keys: { ...DEFAULT_KEYS } };

/** Problems with a remapping, by action: one printable character, not a digit, each key once. */
export function checkKeys(keys: Record<KeyAction, string>): Partial<Record<KeyAction, string>> {
	const errors: Partial<Record<KeyAction, string>> = {};
	for (const a of KEY_ACTIONS) {
		const k = (keys[a] ?? '').toLowerCase();
		if ([...k].length !== 1 || /\s/.test(k)) errors[a] = `Enter one key for “${KEY_LABELS[a]}”`;
		else if (THEME_KEYS.includes(k)) errors[a] = `The keys 0–9 tick themes: choose another key for “${KEY_LABELS[a]}”`;
		else if (
			KEY_ACTIONS.some(
				(b) => b !== a && KEY_ACTIONS.indexOf(b) < KEY_ACTIONS.indexOf(a) && (keys[b] ?? '').toLowerCase() === k
			)
		)
			errors[a] = `“${k}” is already used: choose another key for “${KEY_LABELS[a]}”`;
	}
	return errors;
}

/** Settings as stored (JSON in the browser); anything unreadable or invalid gives the defaults. */
export function parseKeySettings(raw: string | null | undefined): KeySettings {
	try {
		const v = JSON.parse(raw ?? '') as Partial<KeySettings>;
		const keys = { ...DEFAULT_KEYS };
		for (const a of KEY_ACTIONS) if (typeof v.keys?.[a] === 'string') keys[a] = v.keys[a].toLowerCase();
		if (Object.keys(checkKeys(keys)).length > 0) return { enabled: v.enabled !== false, keys: { ...DEFAULT_KEYS } };
		return { enabled: v.enabled !== false, keys };
	} catch {
		return { enabled: true, keys: { ...DEFAULT_KEYS } };
	}
}

/** What a key press does under the settings (never anything when shortcuts are off). */
export function actionForKey(settings: KeySettings, key: string): { action: KeyAction } | { theme: number } | null {
	if (!settings.enabled || [...key].length !== 1) return null;
	const k = key.toLowerCase();
	const t = THEME_KEYS.indexOf(k);
	if (t >= 0) return { theme: t };
	const action = KEY_ACTIONS.find((a) => settings.keys[a] === k);
	return action ? { action } : null;
}

export interface ListedAnswer {
	id: number;
	reviewed: boolean;
	withheld: boolean;
}

/**
 * The answer to go to after saving the one at `index`: the next one on the page not yet
 * reviewed (and not withheld), else simply the next one; null at the end of the page.
 * Chosen by id before the list reloads, so an answer that leaves the list when saved (its
 * theme was the filter) cannot make focus skip the one after it.
 */
export function nextAfterSave(answers: ListedAnswer[], index: number): number | null {
	const after = answers.slice(index + 1).filter((a) => !a.withheld);
	return (after.find((a) => !a.reviewed) ?? after[0])?.id ?? null;
}
