/**
 * The survey's grouped commit (survey/writer.ts) screens, redacts and detects the language of each submission's
 * answers as the submission is queued, not inside the batch's transaction, with SUBMIT_PREPARE=early (the default
 * when the batch goes to the writer thread; issue 18, sixteenth round in docs/deployment.md): the transaction is
 * left with the inserts. What is stored must be exactly what the commit-time path (SUBMIT_PREPARE=commit) stores,
 * in the same commit.
 */
import { rowIdsOf } from './helpers/client-ids';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { KyselyPlugin } from 'kysely';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { SLUG } from './helpers/consultation';
import { getConsultation, type ConsultationView } from '../src/lib/server/consultations/queries';
import { saveOnline } from '../src/lib/server/survey/writer';
import type { SubmissionInput } from '../src/lib/schemas/submission';
import type { Db } from '../src/lib/server/db/connect';

/** What happened, in order: each text prepared, and each query the writer ran (by its first words). */
const events = vi.hoisted(() => [] as string[]);

vi.mock('../src/lib/server/submissions/answer-pipeline', async (importOriginal) => {
	const actual = await importOriginal<typeof import('../src/lib/server/submissions/answer-pipeline')>();
	return {
		...actual,
		prepareAnswerText: (text: string) => {
			events.push(`prepare ${text}`);
			return actual.prepareAnswerText(text);
		}
	};
});

/** Logs each query the writer runs through this Db (the transaction's first is its read of the consultations). */
const logged: KyselyPlugin = {
	transformQuery: (args) => {
		events.push(`query ${args.node.kind}`);
		return args.node;
	},
	transformResult: (args) => Promise.resolve(args.result)
};

const TEXTS = [
	'my step dad hits me when mum is at work',
	'Call me on 07700 900123 about the buses',
	'Hoffwn i weld mwy o fysiau yn y pentref gyda’r nos os gwelwch yn dda',
	'Somewhere safe to meet friends'
];

const input = (id: string, text: string, language?: string): SubmissionInput =>
	({
		id,
		district: 'wychavon',
		perspectives: [{ group: 'young_person', answers: { q1: text, q2: 'Buses stop too early' } }],
		about: { ageBand: '18-24' },
		...(language ? { language } : {})
	}) as never;

describeEachEngine(
	'with SUBMIT_PREPARE=early, grouped commits prepare answer texts as each submission is queued',
	(engine) => {
		const env = { prepare: process.env.SUBMIT_PREPARE, thread: process.env.SUBMIT_WRITER_THREAD };
		let fresh: FreshDb;
		let c: ConsultationView;
		let db: Db;

		beforeAll(async () => {
			process.env.SUBMIT_WRITER_THREAD = 'off'; // the event loop's own transaction, whose queries are logged here
			fresh = await preparedDatabase(engine);
			c = (await getConsultation(fresh.db, SLUG))!;
			db = fresh.db.withPlugin(logged);
		}, 120_000);
		afterAll(async () => {
			for (const [name, value] of [
				['SUBMIT_PREPARE', env.prepare],
				['SUBMIT_WRITER_THREAD', env.thread]
			] as const)
				if (value === undefined) delete process.env[name];
				else process.env[name] = value;
			await fresh?.drop();
		});

		/** One grouped commit of the four texts; the events it logged, and what it stored, comparable across runs. */
		async function batch() {
			events.length = 0;
			const ids: string[] = TEXTS.map(() => randomUUID());
			const results = await Promise.all(
				ids.map((id, i) => saveOnline(db, c, input(id, TEXTS[i], i === 2 ? 'cy' : undefined)))
			);
			expect(results.map((r) => r.status)).toEqual(['created', 'created', 'created', 'created']);
			// The rows' ids: the server's own (time-ordered) for these random ids (submissions/client-ids.ts).
			const rowIds = await rowIdsOf(fresh.db, ids);
			const rows = await fresh.db
				.selectFrom('answer')
				.leftJoin('safeguarding_flag', 'safeguarding_flag.answer_id', 'answer.id')
				.select([
					'answer.submission_id',
					'answer.text',
					'answer.redacted_text',
					'answer.pii_kinds',
					'answer.risk_score',
					'answer.risk_version',
					'answer.language',
					'safeguarding_flag.level'
				])
				.where('answer.submission_id', 'in', rowIds)
				.execute();
			const stored = rows
				.map(({ submission_id, ...r }) => ({ n: rowIds.indexOf(submission_id), ...r }))
				.sort((a, b) => a.n - b.n || (a.text ?? '').localeCompare(b.text ?? ''));
			return { log: [...events], stored };
		}

		it('screens and redacts every text before the transaction, and stores what the commit-time path stores', async () => {
			process.env.SUBMIT_PREPARE = 'early'; // by default (auto) only with the writer thread: writer.ts says why
			const early = await batch();
			const firstQuery = early.log.findIndex((e) => e.startsWith('query '));
			const prepared = early.log.flatMap((e, i) => (e.startsWith('prepare ') ? [i] : []));
			// Each distinct text of each submission once (q2's text is the same in all four: once per submission).
			expect(prepared).toHaveLength(TEXTS.length * 2);
			expect(firstQuery).toBeGreaterThan(-1);
			expect(Math.max(...prepared)).toBeLessThan(firstQuery);

			process.env.SUBMIT_PREPARE = 'commit';
			const atCommit = await batch();
			// The same rows either way: text, redaction, PII kinds, risk score and version, language, safeguarding flag.
			expect(early.stored).toEqual(atCommit.stored);
			expect(early.stored.find((r) => r.text?.startsWith('Call me'))!.redacted_text).not.toContain('07700 900123');
			expect(early.stored.find((r) => r.text?.startsWith('my step dad'))!.level).not.toBeNull();
			expect(early.stored.find((r) => r.text?.startsWith('Hoffwn'))!.language).toBe('cy');
		});
	}
);
