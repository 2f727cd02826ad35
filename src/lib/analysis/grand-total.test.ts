import { describe, expect, it } from 'vitest';
import { grandTotalDecision } from './grand-total';
import type { TableData } from './tables';

const page = (text: string, suppressed: boolean) =>
	({
		rows: [
			{ key: 'a', cells: [{ n: 30, text: '30' }] },
			{ key: '_total', cells: [{ n: 35, text, suppressed }] }
		]
	}) as unknown as TableData;

describe('grandTotalDecision', () => {
	it('reads the page table total shown, "<5" or "[c]"', () => {
		expect(grandTotalDecision(page('35', false), 35, 35)).toBe(false);
		expect(grandTotalDecision(page('[c]', true), 35, 35)).toBe('secondary');
		expect(grandTotalDecision(page('<5', true), 35, 35)).toBe('primary');
	});
	it('says nothing where the true counts differ or the table has no total', () => {
		expect(grandTotalDecision(page('[c]', true), 35, 34)).toBeUndefined();
		expect(grandTotalDecision({ rows: [] } as unknown as TableData, 0, 0)).toBeUndefined();
	});
});
