import { describe, expect, it } from 'vitest';
import { keptForOthers, refusalLine, statusText, type OutboxEntry } from './outbox-words';

const leaf = (id: string, authorId: number | null | undefined, authorEmail: string | null = null): OutboxEntry => ({
	id,
	sessionId: 1,
	questionKey: 'q1',
	group: null,
	district: null,
	text: `leaf ${id}`,
	queuedAt: '2026-11-30T10:00:00Z',
	...(authorId === undefined ? {} : { authorId, authorEmail })
});

describe('the entry status line', () => {
	it('says "All saved" only when nothing at all waits on the computer', () => {
		expect(statusText({ mine: 0, others: 0, rejected: 0, offline: false })).toBe('All saved');
		expect(statusText({ mine: 0, others: 0, rejected: 0, offline: true })).toBe('All saved');
		for (const counts of [
			{ mine: 1, others: 0, rejected: 0 },
			{ mine: 0, others: 3, rejected: 0 },
			{ mine: 0, others: 0, rejected: 2 }
		]) {
			expect(statusText({ ...counts, offline: false })).not.toContain('All saved');
		}
	});

	it('names each kind of waiting leaf with its count', () => {
		expect(statusText({ mine: 3, others: 0, rejected: 0, offline: false })).toBe('3 waiting to send.');
		expect(statusText({ mine: 2, others: 0, rejected: 0, offline: true })).toMatch(/^2 waiting to send: no connection/);
		expect(statusText({ mine: 0, others: 1, rejected: 0, offline: false })).toBe(
			'1 typed by another member of staff is kept on this computer, not sent.'
		);
		expect(statusText({ mine: 1, others: 3, rejected: 2, offline: false })).toBe(
			'1 waiting to send. 3 typed by another member of staff are kept on this computer, not sent. 2 not saved.'
		);
	});
});

describe('leaves kept for someone else', () => {
	it("groups other people's leaves by author and leaves the signed-in user's out", () => {
		const entries = [
			leaf('a1', 7, 'alice@x'),
			leaf('b1', 8, 'bob@x'),
			leaf('a2', 7, 'alice@x'),
			leaf('old', undefined)
		];
		const kept = keptForOthers(entries, 8);
		expect(kept.map((k) => [k.authorId, k.authorEmail, k.entries.map((e) => e.id)])).toEqual([
			[7, 'alice@x', ['a1', 'a2']],
			[null, null, ['old']]
		]);
	});

	it("treats leaves from before authors were kept as nobody's: never the signed-in user's", () => {
		expect(keptForOthers([leaf('old', undefined), leaf('nul', null)], 5)).toEqual([
			{ authorId: null, authorEmail: null, entries: [leaf('old', undefined), leaf('nul', null)] }
		]);
		expect(keptForOthers([leaf('x', 5)], null).map((k) => k.authorId)).toEqual([5]);
	});
});

describe("a refused leaf's reasons", () => {
	it("name each field as the entry form does, never by the API's key", () => {
		expect(refusalLine('questionKey', 'this session asks q2 only, not q1')).toBe(
			'Question: this session asks q2 only, not q1'
		);
		expect(refusalLine('group', 'unknown respondent group "x"')).toBe('Who answered: unknown respondent group "x"');
		expect(refusalLine('district', 'unknown district "x"')).toBe('District: unknown district "x"');
		expect(refusalLine('text', 'the leaf has no words: type what it says')).toBe(
			'What the response says: the leaf has no words: type what it says'
		);
		for (const field of ['questionKey', 'group', 'district', 'text', 'sessionId', 'authorId', 'id', 'entry', 'later'])
			expect(refusalLine(field, 'reason')).not.toContain(field);
	});
});
