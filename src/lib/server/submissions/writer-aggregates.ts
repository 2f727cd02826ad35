/**
 * The survey writer's grouped commit keeps the analysis aggregates of its own inserts (issue #18: on SQLite 18 of
 * a submission's 31 row writes were aggregate and data-version triggers, one upsert per inserted row per table).
 * Inside the batch's transaction the writer switches off the insert triggers of `submission`, `perspective` and
 * `answer` (migration 2026-12-11-0200: a row in its control table, deleted again before the commit), inserts
 * the batch, checks that the sets it claimed (submission.group_set and question_set, perspective.question_set)
 * are the ones the triggers would have computed, and then adds the batch's share of every aggregate table those
 * triggers keep with one grouped upsert per table, and bumps the data version once. The shares are the triggers'
 * own expressions, grouped: after the batch the tables equal what the row triggers would have left.
 *
 * Only the online grouped commit uses it (survey/batch-store.ts); every other write keeps the triggers. SQLite
 * only (PostgreSQL's triggers on these inserts are statement-level already). `WRITER_AGGREGATES=off` keeps the
 * triggers (the A/B switch and a way back). The path is used only if every insert trigger on the three tables
 * carries the guard: a trigger added (or created again) later without it keeps the old path, never counted twice.
 */
import { CompiledQuery, SqliteAdapter, sql, type Transaction } from 'kysely';
import type { Db } from '../db/connect';
import type { Database } from '../db/schema';
import { questionSetOf } from '../db/migrations/lib/aggregate-sql';
import { groupSetOf } from '../db/migrations/2026-12-01-0500-group-set-aggregates';
import { WRITER_BYPASS_TABLE, WRITER_GUARD } from '../db/migrations/2026-12-11-0200-writer-aggregates';

type Tx = Transaction<Database>;

/** A claimed set differs from the one the triggers compute: the batch is stored again with the triggers on. */
export class ClaimedSetMismatch extends Error {
	constructor() {
		super('a claimed group or question set differs from the stored rows');
	}
}

const usable = new WeakMap<Db, Promise<boolean>>();

/** Whether `db`'s writer may keep the aggregates itself: on (the default), SQLite, and every insert trigger guarded. */
export function writerAggregatesFor(db: Db): Promise<boolean> {
	if (process.env.WRITER_AGGREGATES === 'off' || !(db.getExecutor().adapter instanceof SqliteAdapter))
		return Promise.resolve(false);
	let known = usable.get(db);
	if (!known) {
		known = (async () => {
			const table = await sql<{ n: number }>`select count(*) as n from sqlite_master
				where type = 'table' and name = ${WRITER_BYPASS_TABLE}`.execute(db);
			if (Number(table.rows[0]?.n ?? 0) === 0) return false;
			const triggers = await sql<{ sql: string }>`select sql from sqlite_master where type = 'trigger'
				and tbl_name in ('submission', 'perspective', 'answer')`.execute(db);
			return triggers.rows
				.filter((t) => /\b(before|after|instead\s+of)\s+insert\s+on\b/i.test(t.sql))
				.every((t) => t.sql.includes(WRITER_GUARD));
		})();
		usable.set(db, known);
	}
	return known;
}

/** Forget what writerAggregatesFor found (tests that change the triggers). */
export function forgetWriterAggregates(db: Db) {
	usable.delete(db);
}

export async function bypassInsertTriggers(tx: Tx, on: boolean) {
	await sql
		.raw(on ? `insert into ${WRITER_BYPASS_TABLE} (id) values (1)` : `delete from ${WRITER_BYPASS_TABLE}`)
		.execute(tx);
}

const IDS = '(select value from json_each(?))';

/** Rows whose claimed set is not what the triggers compute (0 when every claim holds). */
const CHECK_SQL = `select
	(select count(*) from submission where id in ${IDS}
	   and (group_set <> ${groupSetOf('submission.id', false)}
	     or question_set <> ${questionSetOf('submission_id', 'submission.id', false)}))
	+ (select count(*) from perspective where id in ${IDS}
	   and question_set <> ${questionSetOf('perspective_id', 'perspective.id', false)}) as n`;

const EQ = ['eq_age_band', 'eq_gender', 'eq_disability', 'eq_ethnicity', 'eq_sexual_orientation'];

/** One grouped upsert: `keys` (name → expression) and summed values (name → expression) over `from`. */
function upsert(table: string, keys: [string, string][], values: [string, string][], from: string): string {
	const k = keys.map(([name]) => name);
	const v = values.map(([name]) => name);
	return `insert into ${table} (${[...k, ...v].join(', ')})
	 select ${[...k, ...v.map((name) => `sum(${name})`)].join(', ')}
	 from (select ${[...keys, ...values].map(([name, e]) => `${e} as ${name}`).join(', ')} ${from}) x
	 where true group by ${k.join(', ')}
	 on conflict (${k.join(', ')}) do update set ${v.map((name) => `${name} = ${table}.${name} + excluded.${name}`).join(', ')}`;
}

const key = (...names: string[]): [string, string][] =>
	names.map((n) => {
		const expr: Record<string, string> = {
			consultation_id: 's.consultation_id',
			group_set: 's.group_set',
			question_set: 's.question_set',
			district_code: `coalesce(s.district_code, '')`,
			channel: 's.channel',
			location_id: 'coalesce(s.location_id, 0)',
			day: 'substr(s.created_at, 1, 10)',
			group_code: `coalesce(p.group_code, '')`,
			question_id: 'a.question_id'
		};
		return [n, expr[n] ?? `s.${n}`];
	});
const N: [string, string][] = [['n', '1']];

const FROM_S = `from submission s where s.id in ${IDS}`;
const FROM_P = `from perspective p join submission s on s.id = p.submission_id where p.id in ${IDS}`;
const FROM_A = `from answer a join perspective p on p.id = a.perspective_id join submission s on s.id = a.submission_id
	 where a.id in ${IDS} and s.id = p.submission_id`;
const FROM_A_ONLY = `from answer a where a.id in ${IDS}`;
const reviewed = 'case when a.reviewed_at is not null then 1 else 0 end';

/** The statements and which ids each reads ('s' submissions, 'p' perspectives, 'a' answers). */
const DELTAS: [string, 's' | 'p' | 'a'][] = [
	// Migration 0300's submission triggers (agg_sub_submission_insert).
	[
		upsert(
			'analysis_agg_submission',
			key('consultation_id', 'district_code', 'channel', 'location_id', 'day'),
			[...N, ['demo', 'case when s.is_demo = 1 then 1 else 0 end']],
			FROM_S
		),
		's'
	],
	[upsert('analysis_agg_equality', key('consultation_id', ...EQ), N, FROM_S), 's'],
	// Migration 0500's (agg_gs_submission_insert) and 2026-12-09-0300's (agg_gsce_submission_insert).
	[
		upsert(
			'analysis_agg_group_set',
			key('consultation_id', 'group_set', 'district_code', 'channel', 'location_id', 'day'),
			N,
			FROM_S
		),
		's'
	],
	[
		upsert('analysis_agg_group_set_equality', key('consultation_id', 'group_set', 'district_code', ...EQ), N, FROM_S),
		's'
	],
	[
		upsert(
			'analysis_agg_group_set_channel_equality',
			key('consultation_id', 'group_set', 'district_code', 'channel', ...EQ),
			N,
			FROM_S
		),
		's'
	],
	// 2026-12-05-0100's and 0110's (agg_qs_submission_insert, agg_qse_submission_insert).
	[
		upsert(
			'analysis_agg_question_set',
			key('consultation_id', 'question_set', 'group_set', 'district_code', 'channel', 'location_id', 'day'),
			N,
			FROM_S
		),
		's'
	],
	[
		upsert(
			'analysis_agg_question_set_equality',
			key('consultation_id', 'question_set', 'group_set', 'district_code', ...EQ),
			N,
			FROM_S
		),
		's'
	],
	// The perspectives' (agg_sub_perspective_insert, agg_qs_perspective_insert).
	[
		upsert('analysis_agg_perspective', key('consultation_id', 'group_code', 'district_code', 'channel'), N, FROM_P),
		'p'
	],
	[
		upsert(
			'analysis_agg_question_set_perspective',
			[...key('consultation_id'), ['question_set', 'p.question_set'], ...key('group_code', 'district_code', 'channel')],
			N,
			FROM_P
		),
		'p'
	],
	// The answers' (agg_answer_insert, agg_coding_answer_insert, agg_language_answer_insert,
	// agg_reading_answer_insert, agg_review_answer_insert).
	[
		upsert(
			'analysis_agg_answer',
			key('question_id', 'group_code', 'district_code', 'channel'),
			[
				...N,
				[
					'coded',
					`case when exists (select 1 from answer_theme hx join theme ht on ht.id = hx.theme_id
					 where hx.answer_id = a.id and hx.applies = 1 and ht.status = 'active') then 1 else 0 end`
				]
			],
			FROM_A
		),
		'a'
	],
	[
		upsert(
			'analysis_agg_coding',
			[
				['question_id', 'a.question_id'],
				['wording_version', 'coalesce(a.wording_version, 1)'],
				['is_reviewed', reviewed],
				['is_coded', 'case when a.coded_at is not null then 1 else 0 end'],
				[
					'has_human',
					`case when exists (select 1 from answer_theme hh where hh.answer_id = a.id and hh.source = 'human') then 1 else 0 end`
				]
			],
			N,
			FROM_A_ONLY
		),
		'a'
	],
	[
		upsert(
			'analysis_agg_language',
			[
				['question_id', 'a.question_id'],
				['language', `coalesce(a.language, 'en')`],
				['is_reviewed', reviewed]
			],
			N,
			`${FROM_A_ONLY} and a.text is not null`
		),
		'a'
	],
	[
		upsert(
			'analysis_agg_reading',
			[
				['question_id', 'a.question_id'],
				['day', 'substr(a.created_at, 1, 10)']
			],
			[...N, ['n_read', 'case when exists (select 1 from answer_read rr where rr.answer_id = a.id) then 1 else 0 end']],
			`from answer a join perspective p on p.id = a.perspective_id where a.id in ${IDS} and a.text is not null
			 and p.group_code is not null and p.group_code in ('child', 'young_person')`
		),
		'a'
	],
	[
		upsert(
			'analysis_agg_review',
			key('question_id', 'group_code', 'district_code', 'channel'),
			N,
			`${FROM_A} and a.reviewed_at is not null`
		),
		'a'
	]
];

/**
 * After the batch's inserts (with the bypass row deleted again): the claims checked, then the batch's share of
 * each aggregate added and the data version bumped once. Throws ClaimedSetMismatch if a claim is wrong.
 */
export async function addBatchAggregates(
	tx: Tx,
	ids: { submissions: string[]; perspectives: number[]; answers: number[] }
): Promise<void> {
	if (ids.submissions.length === 0) return;
	const json = {
		s: JSON.stringify(ids.submissions),
		p: JSON.stringify(ids.perspectives),
		a: JSON.stringify(ids.answers)
	};
	const wrong = await tx.executeQuery<{ n: number }>(CompiledQuery.raw(CHECK_SQL, [json.s, json.p]));
	if (Number(wrong.rows[0]?.n ?? 0) !== 0) throw new ClaimedSetMismatch();
	for (const [text, which] of DELTAS) {
		if (which === 'p' && ids.perspectives.length === 0) continue;
		if (which === 'a' && ids.answers.length === 0) continue;
		await tx.executeQuery(CompiledQuery.raw(text, [json[which]]));
	}
	await sql`update data_version set version = version + 1 where id = 1`.execute(tx);
}
