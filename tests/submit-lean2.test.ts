/**
 * The lean submission path's second round (issue 18, docs/deployment.md "Twenty-eighth round"): each answer's
 * language found with less work (src/lib/i18n/franc-among.ts, detect.ts). SUBMIT_LEAN2=off gives the path before.
 * Held here to: the same stored rows, screening flags, redactions, languages and aggregates on and off over a
 * varied set of submissions (safeguarding words, personal data, Welsh, several perspectives, replays), the same
 * field errors for broken bodies; and each answer's language the same on and off over generated texts in the app's
 * languages, with franc's 36 script expressions not run for a text of ASCII characters and its trigrams not sorted.
 * (The round's hand-written body check beside zod was not kept: the project parses with zod, and it saved
 * about 8 µs of a submission's ~500.)
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { SLUG } from './helpers/consultation';
import { rowIdsByClient } from './helpers/client-ids';
import { aggregateSnapshot, expectRebuildUnchanged } from './helpers/aggregates';
import { rebuildAggregates } from '../src/lib/server/analysis/aggregates';
import { submitResponse, type SubmitResult } from '../src/lib/server/survey/submit';
import { AGGREGATE_TABLES } from '../src/lib/server/analysis/aggregates';
import { STAGE_BODIES } from '../scripts/bench/lib/submit-stage-bodies';
import type { Db } from '../src/lib/server/db/connect';
import { detectLanguage } from '../src/lib/i18n/detect';
import { expressions } from 'franc-all/expressions.js';

/** Calls of trigram-utils' asTuples (franc's trigrams sorted by count), which the lean path no longer needs. */
const calls = vi.hoisted(() => ({ asTuples: 0 }));
vi.mock('trigram-utils', async (importOriginal) => {
	const real = await importOriginal<typeof import('trigram-utils')>();
	return {
		...real,
		asTuples: (value: string) => {
			calls.asTuples++;
			return real.asTuples(value);
		}
	};
});

/** The varied set twice over with fixed ids (the same ids on and off), one id in capitals. */
const IDS = Array.from({ length: STAGE_BODIES.length * 2 }, () => randomUUID());
const bodies = IDS.map((id, i) => ({ ...STAGE_BODIES[i % STAGE_BODIES.length], id: i === 3 ? id.toUpperCase() : id }));

/** Broken bodies: each fails the schema somewhere (the field errors must read the same on and off). */
const BROKEN: unknown[] = [
	null,
	[],
	'text',
	{},
	{ ...bodies[0], id: 'not-a-uuid' },
	{ ...bodies[0], extra: 1 },
	{ ...bodies[0], perspectives: [] },
	{ ...bodies[0], perspectives: [{ group: 'child', answers: { x1: 'no' } }] },
	{ ...bodies[0], perspectives: [{ group: '', answers: { q1: 'a' } }] },
	{ ...bodies[0], perspectives: [{ answers: { q1: 'a' } }] },
	{ ...bodies[0], perspectives: [{ group: 'child', answers: { q1: 5 } }] },
	{ ...bodies[0], perspectives: [{ group: 'child', answers: { q1: 'x'.repeat(20_000) } }] },
	{ ...bodies[0], about: { ageBand: '18-24', shoeSize: 9 } },
	{ ...bodies[0], about: { genderSelfDescribe: 'y'.repeat(101) } },
	{ ...bodies[0], language: 'EN' },
	{ ...bodies[0], district: 'x'.repeat(65) }
];

/** Every stored thing a submission leaves, keyed by what it is rather than by serial ids. */
async function stored(db: Db) {
	// By the ids sent: the rows' own ids are the server's (time-ordered, different in each database) when the sent
	// ones are random (submissions/client-ids.ts).
	const rowIds = await rowIdsByClient(db, IDS);
	const sentId = new Map([...rowIds].map(([sent, row]) => [row, sent]));
	const bySent = <T extends { submission_id: string }>(rows: T[]) =>
		rows.map((r) => ({ ...r, submission_id: sentId.get(r.submission_id)! }));
	const submissions = (
		await db
			.selectFrom('submission')
			.selectAll()
			.where('id', 'in', [...rowIds.values()])
			.execute()
	)
		.map(({ client_id: _c, ...r }) => ({ ...r, id: sentId.get(r.id)! }))
		.sort((x, y) => x.id.localeCompare(y.id));
	const perspectives = bySent(
		await db
			.selectFrom('perspective')
			.select(['submission_id', 'group_code', 'position', 'question_set'])
			.where('submission_id', 'in', [...rowIds.values()])
			.execute()
	).sort((x, y) => x.submission_id.localeCompare(y.submission_id) || x.position - y.position);
	const answers = await db
		.selectFrom('answer')
		.innerJoin('perspective', 'perspective.id', 'answer.perspective_id')
		.leftJoin('safeguarding_flag', 'safeguarding_flag.answer_id', 'answer.id')
		.select([
			'answer.submission_id',
			'perspective.position',
			'answer.question_id',
			'answer.text',
			'answer.redacted_text',
			'answer.pii_kinds',
			'answer.risk_score',
			'answer.risk_version',
			'answer.wording_version',
			'answer.language',
			'answer.ui_language',
			'answer.coded_at',
			'safeguarding_flag.level',
			'safeguarding_flag.matches',
			'safeguarding_flag.status'
		])
		.where('answer.submission_id', 'in', [...rowIds.values()])
		.execute()
		.then((rows) =>
			bySent(rows).sort(
				(x, y) =>
					x.submission_id.localeCompare(y.submission_id) || x.position - y.position || x.question_id - y.question_id
			)
		);
	const flagAudits = await db
		.selectFrom('audit_log')
		.select((eb) => eb.fn.countAll().as('n'))
		.where('action', '=', 'safeguarding.flag')
		.executeTakeFirstOrThrow();
	const times = (r: Record<string, unknown>) => {
		const { created_at: _c, updated_at: _u, ...rest } = r;
		return rest;
	};
	const aggregates = await aggregateSnapshot(db);
	// Serial perspective ids differ with the grouping of commits: the sets by submission are compared above.
	delete aggregates.perspectiveSets;
	// Each submission's sets by the id sent (the row ids differ between the two databases).
	aggregates.sets = (aggregates.sets as { id: string }[])
		.map((r) => ({ ...r, id: sentId.get(r.id) ?? r.id }))
		.sort((x, y) => x.id.localeCompare(y.id));
	return {
		submissions: submissions.map(times),
		perspectives,
		answers: answers.map((a) => ({ ...a, risk_score: Number(a.risk_score) })),
		flagAudits: Number(flagAudits.n),
		aggregates
	};
}

/** Each body sent, 8 at a time (grouped commits), then each again (replays). */
async function sendAll(db: Db): Promise<SubmitResult[]> {
	const out: SubmitResult[] = [];
	for (let round = 0; round < 2; round++)
		for (let i = 0; i < bodies.length; i += 8)
			out.push(
				...(await Promise.all(
					bodies.slice(i, i + 8).map((b) => submitResponse(db, SLUG, JSON.parse(JSON.stringify(b))))
				))
			);
	return out;
}

afterEach(() => {
	delete process.env.SUBMIT_LEAN2;
	vi.restoreAllMocks();
});

describeEachEngine('the lean path’s second round stores the same', (engine) => {
	let on: FreshDb;
	let off: FreshDb;
	beforeAll(async () => {
		[on, off] = await Promise.all([preparedDatabase(engine), preparedDatabase(engine)]);
		await Promise.all([rebuildAggregates(on.db), rebuildAggregates(off.db)]);
	}, 180_000);
	afterAll(async () => {
		await on?.drop();
		await off?.drop();
	});

	it('the same rows, flags, redactions and aggregates on and off; replays double nothing', async () => {
		const resultsOn = await sendAll(on.db);
		process.env.SUBMIT_LEAN2 = 'off';
		const resultsOff = await sendAll(off.db);
		expect(resultsOn).toEqual(resultsOff);
		expect(resultsOn.map((r) => r.kind)).toEqual([
			...Array(bodies.length).fill('created'),
			...Array(bodies.length).fill('replayed')
		]);
		const a = await stored(on.db);
		const b = await stored(off.db);
		expect(a.submissions).toHaveLength(bodies.length);
		// The varied set exercises what the comparison is about: flags, redactions, another language.
		expect(a.answers.some((x) => x.level !== null)).toBe(true);
		expect(a.answers.some((x) => x.pii_kinds !== null && x.redacted_text !== x.text)).toBe(true);
		expect(a.answers.some((x) => x.language === 'cy')).toBe(true);
		expect(a).toEqual(b);
		expect(Object.keys(a.aggregates)).toEqual(expect.arrayContaining([...AGGREGATE_TABLES]));
		await expectRebuildUnchanged(on.db, 'on');
		await expectRebuildUnchanged(off.db, 'off');
	}, 120_000);

	it('broken bodies get the same field errors on and off', async () => {
		const answers = async () => Promise.all(BROKEN.map((raw) => submitResponse(on.db, SLUG, raw)));
		const lean = await answers();
		process.env.SUBMIT_LEAN2 = 'off';
		const before = await answers();
		expect(lean.every((r) => r.kind === 'invalid')).toBe(true);
		expect(lean).toEqual(before);
	});
});

describe('language detection on the lean path', () => {
	const WORDS = [
		...'the bus to school is always late and too full we need more places for young people to meet'.split(' '),
		...'mae angen mwy o le chwarae yn y parc i blant bach a phobl ifanc'.split(' '),
		...'potrzebujemy więcej miejsc do zabawy dla dzieci w parku źle żółć'.split(' '),
		...'avem nevoie de mai multe locuri de joacă pentru copii necesitamos más lugares'.split(' '),
		...'нам нужно больше мест для детей بچوں کے لیے پارک میں ਸਾਨੂੰ ਹੋਰ ਥਾਂ আমাদের আরও'.split(' '),
		...'12 3.5 !! ?? -- £20 :) @home #1 ... \u0000 \t'.split(' ')
	];

	it('gives the same language on and off', () => {
		let seed = 7;
		const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
		const texts = Array.from({ length: 3000 }, () =>
			Array.from({ length: 1 + Math.floor(rand() * 30) }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(
				rand() < 0.8 ? ' ' : ''
			)
		);
		texts.push('', 'a', '1234567890123456789012345', 'Somewhere safe to meet friends', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ');
		const on = texts.map((t) => [detectLanguage(t), detectLanguage(t, 'cy')]);
		process.env.SUBMIT_LEAN2 = 'off';
		const off = texts.map((t) => [detectLanguage(t), detectLanguage(t, 'cy')]);
		expect(on).toEqual(off);
		expect(new Set(on.flat()).size).toBeGreaterThan(3);
	});

	it('runs no script expression for an ASCII text and does not sort its trigrams (off: it does both)', () => {
		let matched = 0;
		const spied = Object.values(expressions).map((re) => {
			const original = RegExp.prototype[Symbol.match];
			Object.defineProperty(re, Symbol.match, {
				configurable: true,
				value(this: RegExp, text: string) {
					matched++;
					return original.call(this, text);
				}
			});
			return re;
		});
		try {
			const text = 'Somewhere safe to meet friends after school';
			calls.asTuples = 0;
			expect(detectLanguage(text)).toBe('en');
			expect([matched, calls.asTuples]).toEqual([0, 0]);
			process.env.SUBMIT_LEAN2 = 'off';
			expect(detectLanguage(text)).toBe('en');
			expect([matched, calls.asTuples]).toEqual([Object.keys(expressions).length, 1]);
		} finally {
			for (const re of spied) delete (re as unknown as Record<symbol, unknown>)[Symbol.match];
		}
	});
});
