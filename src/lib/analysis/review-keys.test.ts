import { describe, expect, it } from 'vitest';
import { actionForKey, checkKeys, DEFAULT_KEYS, nextAfterSave, parseKeySettings } from './review-keys';

describe('review keyboard', () => {
	it('does nothing at all when single-key shortcuts are off (WCAG 2.1.4)', () => {
		const off = parseKeySettings(JSON.stringify({ enabled: false }));
		for (const k of ['j', 'k', 's', 'x', 't', '1', '0']) expect(actionForKey(off, k)).toBeNull();
		expect(actionForKey(parseKeySettings(null), 's')).toEqual({ action: 'save' });
	});

	it('follows a remapping, and 1–9 then 0 tick the first ten themes', () => {
		const mine = parseKeySettings(JSON.stringify({ enabled: true, keys: { ...DEFAULT_KEYS, save: 'w', next: 'n' } }));
		expect(actionForKey(mine, 'w')).toEqual({ action: 'save' });
		expect(actionForKey(mine, 's')).toBeNull();
		expect(actionForKey(mine, 'N')).toEqual({ action: 'next' });
		expect(actionForKey(mine, '9')).toEqual({ theme: 8 });
		expect(actionForKey(mine, '0')).toEqual({ theme: 9 });
	});

	it('refuses a key used twice, a digit or an empty key, and stored nonsense falls back to the defaults', () => {
		expect(checkKeys({ ...DEFAULT_KEYS, save: 'j' })).toEqual({
			save: expect.stringContaining('“j” is already used')
		});
		expect(checkKeys({ ...DEFAULT_KEYS, select: '3' }).select).toMatch(/0–9 tick themes/);
		expect(checkKeys({ ...DEFAULT_KEYS, themes: '' }).themes).toMatch(/Enter one key/);
		expect(checkKeys(DEFAULT_KEYS)).toEqual({});
		expect(parseKeySettings('{"keys":{"save":"j"}}').keys).toEqual(DEFAULT_KEYS);
		expect(parseKeySettings('not json')).toEqual({ enabled: true, keys: DEFAULT_KEYS });
	});

	it('after a save goes to the next answer not yet reviewed, chosen by id so a vanishing answer skips nothing', () => {
		const list = [
			{ id: 10, reviewed: false, withheld: false },
			{ id: 11, reviewed: true, withheld: false },
			{ id: 12, reviewed: false, withheld: true },
			{ id: 13, reviewed: false, withheld: false },
			{ id: 14, reviewed: false, withheld: false }
		];
		expect(nextAfterSave(list, 0)).toBe(13);
		expect(nextAfterSave(list, 3)).toBe(14);
		expect(nextAfterSave(list, 4)).toBeNull();
		// Everything after is reviewed: simply the next one.
		expect(nextAfterSave(list.slice(0, 2), 0)).toBe(11);
	});
});
