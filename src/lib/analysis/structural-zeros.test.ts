import { describe, expect, it } from 'vitest';
import { isStructuralZero, structuralZeroBounds, viewChannels } from './structural-zeros';
import { cellKey } from './tables';

const k = cellKey;

describe('the equality questions structural zeros (issue #11, dis60)', () => {
	it('viewChannels: every channel, the face-to-face ones, or the one filtered', () => {
		expect(viewChannels(undefined)).toBeUndefined();
		expect(viewChannels('face-to-face')).toEqual(['library', 'school', 'event', 'paper']);
		expect(viewChannels('import')).toEqual(['import']);
	});

	it('isStructuralZero: answered equality counts on no online channel, and nothing else', () => {
		expect(isStructuralZero('age', 'group', '13-15', 'child', ['library'])).toBe(true);
		expect(isStructuralZero('age', 'group', 'left_blank', '_total', ['import'])).toBe(true);
		// "Not asked", the totals, an online view, every channel: not structural.
		expect(isStructuralZero('age', 'group', 'not_asked', 'child', ['library'])).toBe(false);
		expect(isStructuralZero('age', 'group', '_total', 'child', ['library'])).toBe(false);
		expect(isStructuralZero('age', 'group', '13-15', 'child', ['online'])).toBe(false);
		expect(isStructuralZero('age', 'group', '13-15', 'child', undefined)).toBe(false);
		// A channel coordinate narrows the view's channels.
		expect(isStructuralZero('gender', 'channel', 'female', 'school', undefined)).toBe(true);
		expect(isStructuralZero('gender', 'channel', 'female', 'online', undefined)).toBe(false);
		expect(isStructuralZero('gender', 'channel', 'female', '_total', undefined)).toBe(false);
		// No equality dimension: nothing.
		expect(isStructuralZero('district', 'channel', 'x', 'school', undefined)).toBe(false);
	});

	it('structuralZeroBounds: exact zeros for the structural cells and the channels the filter leaves out', () => {
		const rows = [{ key: 'female' }, { key: 'not_asked' }];
		const columns = [{ key: 'online' }, { key: 'library' }, { key: 'school' }];
		const counts: Record<string, number> = { 'female|online': 0, 'not_asked|library': 23 };
		const count = (r: string, c: string) => counts[`${r}|${c}`] ?? 0;
		const b = structuralZeroBounds('gender', 'channel', rows, columns, count, 'library')!;
		expect([...b.bounds.keys()].sort()).toEqual(
			[
				k('female', 'online'),
				k('female', 'library'),
				k('female', 'school'),
				k('female', '_total'),
				k('not_asked', 'online'),
				k('not_asked', 'school'),
				k('_total', 'online'),
				k('_total', 'school')
			].sort()
		);
		expect([...b.bounds.values()].every(([lo, hi]) => lo === 0 && hi === 0)).toBe(true);
		expect(b.hide.size).toBe(0);
		// The unfiltered view: the answered cells of the face-to-face columns only.
		const u = structuralZeroBounds('gender', 'channel', rows, columns, count, undefined)!;
		expect([...u.bounds.keys()].sort()).toEqual([k('female', 'library'), k('female', 'school')].sort());
		// A count that is not zero is never marked (the survey changed): the check holds.
		const odd = structuralZeroBounds('gender', 'channel', rows, columns, (r) => (r === 'female' ? 1 : 0), 'school');
		expect(odd?.bounds.has(k('female', 'school'))).toBe(false);
		// No equality dimension, or every channel and no channel dimension: nothing.
		expect(structuralZeroBounds('district', 'channel', rows, columns, count, 'library')).toBeUndefined();
		expect(structuralZeroBounds('gender', 'group', rows, columns, count, undefined)).toBeUndefined();
	});
});
