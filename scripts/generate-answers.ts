// DATABASE_URL=file:/tmp/big.sqlite npm run generate:answers [-- --answers 100000 --seed 7]   (--help: usage)
// [-- --rebuild off]: skip the closing aggregate rebuild and data-version bump (the caller times them apart)
//
// Fills a database with about N answers (default 100,000) for the Worcestershire
// consultation, shaped like the demo data (online respondents answering several
// questions, some from two perspectives, with equality answers; face-to-face
// leaves answering one question), with automatic codings from the shipped
// codebooks' keywords so that every theme table has data, and ~2% reviewed by an
// officer. Batched multi-row inserts in transactions; every row is is_demo = 1.
//
// Bulk load: the aggregate triggers fire once per row (on PostgreSQL in plpgsql: a 100,000-answer
// load spent most of its time in them), so each batch is written without them and the aggregates
// are rebuilt and the data version bumped once at the end. PostgreSQL: the row triggers are off
// for that transaction only (SET LOCAL session_replication_role = replica; needs a superuser, else
// the triggers run). SQLite: the agg_* and data-version triggers are dropped and created again inside each
// transaction (DDL is transactional there, so a failed one leaves them in place), 25 batches to a transaction,
// unsynced and with a large page cache for the load only (db/sqlite-bulk.ts), and the rebuild runs without
// them too (on SQLite its own statements, analysis/rebuild-sqlite.ts: at 1,000,001 answers 18.5 s CPU, where the
// migrations' statements had used 27 s CPU and not finished when stopped). The result equals a load with every row
// trigger on (tests/generate-answers.test.ts).
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { PostgresAdapter, sql, type Transaction } from 'kysely';
import type { Db } from '../src/lib/server/db/connect';
import type { Database } from '../src/lib/server/db/schema';
import { bulkLoadSettings, derivedTriggers, withoutTriggers } from '../src/lib/server/db/sqlite-bulk';
import { openPrepared } from '../src/lib/server/bootstrap';
import { getConsultation } from '../src/lib/server/consultations/queries';
import { referenceFor } from '../src/lib/server/submissions/reference';
import { BANKS, OPENERS, VOICE_OF } from '../src/lib/server/demo/texts';
import { LIBRARIES } from '../src/lib/server/demo/generate';
import { keywordPredicate } from '../src/lib/analysis/keywords';
import { addDays } from '../src/lib/analysis/weeks';
import { rebuildAggregates } from '../src/lib/server/analysis/aggregates';
import { runMain, UsageError } from './lib/cli';
import { seededRandom } from '../src/lib/util/random';
import { SHIPPED_SLUG as SLUG } from '../src/lib/domain/shipped-consultation';

const rng = seededRandom;

function text(r: ReturnType<typeof rng>, group: string, question: string): string {
	const voice = VOICE_OF[group] ?? 'adult';
	const bank = BANKS[question];
	const themes = Object.keys(bank).filter((t) => bank[t][voice]?.length);
	const chosen = new Set<string>();
	const wanted = Math.min(themes.length, voice === 'child' ? 1 + (r.next() < 0.3 ? 1 : 0) : 1 + r.int(3));
	while (chosen.size < wanted) chosen.add(r.pick(themes));
	const phrases = [...chosen].map((t) => r.pick(bank[t][voice]!));
	return (
		r.pick(OPENERS[voice]) +
		(phrases.length > 1 ? `${phrases.slice(0, -1).join(', ')} and ${phrases.at(-1)}` : phrases[0])
	);
}

export interface GenerateResult {
	submissions: number;
	answers: number;
	codings: number;
	ms: number;
}

export async function generateAnswers(
	db: Db,
	opts: {
		answers?: number;
		seed?: number;
		log?: (s: string) => void;
		/** Keep PostgreSQL's row triggers on (tests of the triggers themselves). */
		rowTriggers?: boolean;
		/**
		 * false: leave the closing rebuild (and the data-version bump) to the caller, e.g. to time it apart at a
		 * million answers; the aggregates are stale until then.
		 */
		rebuild?: boolean;
	} = {}
): Promise<GenerateResult> {
	const started = performance.now();
	const target = opts.answers ?? 100_000;
	const r = rng(opts.seed ?? 7);
	const found = await getConsultation(db, SLUG);
	if (!found) throw new Error(`consultation ${SLUG} is not loaded`);
	const c = found;
	const now = new Date().toISOString();
	const start = (c.opensAt ?? '2017-05-22').slice(0, 10);

	// Themes per question: the installed codebooks (or, if none, one theme per demo phrase bank), in id order: each
	// answer's hits draw their confidences from the seeded generator in this order, so an unordered read gave two
	// PostgreSQL copies of one seed the same themes with their confidences swapped (coding-net-delta's intermittent
	// "two mixed chunks" failure: answer 111's themes 2, 3, 8 at 0.83 / 0.56 / 0.57 in one copy, 0.56 / 0.57 / 0.83 in the other).
	const themes = new Map<number, { id: number; keywords: string[] }[]>();
	/** The engine's keyword matcher per theme, compiled once. */
	const matchers = new Map<number, (text: string) => boolean>();
	for (const q of c.questions) {
		let rows = await db
			.selectFrom('theme')
			.select(['id', 'keywords', 'code'])
			.where('question_id', '=', q.id)
			.where('status', '=', 'active')
			.orderBy('id')
			.execute();
		if (rows.length === 0) {
			const bank = BANKS[q.key] ?? {};
			for (const [i, code] of Object.keys(bank).entries()) {
				const phrases = Object.values(bank[code]).flat() as string[];
				await db
					.insertInto('theme')
					.values({
						question_id: q.id,
						code,
						label: code[0].toUpperCase() + code.slice(1),
						keywords: JSON.stringify(phrases),
						position: i,
						status: 'active',
						created_at: now,
						updated_at: now
					})
					.execute();
			}
			rows = await db
				.selectFrom('theme')
				.select(['id', 'keywords', 'code'])
				.where('question_id', '=', q.id)
				.where('status', '=', 'active')
				.orderBy('id')
				.execute();
		}
		themes.set(
			q.id,
			rows.map((t) => ({ id: t.id, keywords: [t.code.replace(/-/g, ' '), ...(JSON.parse(t.keywords) as string[])] }))
		);
	}

	// Places and sessions: the 21 libraries, a session each per week for 10 weeks.
	const locationIds: { id: number; district: string }[] = [];
	for (const lib of LIBRARIES) {
		await db
			.insertInto('location')
			.values({ name: lib.name, district_code: lib.district, kind: 'library', created_at: now })
			.onConflict((oc) => oc.column('name').doNothing())
			.execute();
		const row = await db.selectFrom('location').select('id').where('name', '=', lib.name).executeTakeFirstOrThrow();
		locationIds.push({ id: row.id, district: lib.district });
	}
	const sessions: { id: number; location: number; district: string; date: string; question: string }[] = [];
	for (let week = 0; week < 10; week++)
		for (const [i, loc] of locationIds.entries()) {
			const date = addDays(start, week * 7 + (i % 6));
			const question = c.questions[week % c.questions.length].key;
			const row = await db
				.insertInto('collection_session')
				.values({
					consultation_id: c.id,
					location_id: loc.id,
					session_date: date,
					channel: 'library',
					question_key: question,
					default_group: null,
					user_id: null,
					notes: `generated:${week}:${i}`,
					is_demo: 1,
					created_at: now
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			sessions.push({ id: row.id, location: loc.id, district: loc.district, date, question });
		}

	const reviewer = await db.selectFrom('app_user').select('id').orderBy('id').executeTakeFirst();
	const districts = [...c.districts.map((d) => d.code), null];
	const districtWeights: [string | null, number][] = districts.map((d) => [
		d,
		d === null ? 6 : d === 'outside' ? 1 : d === 'redditch' ? 5 : 18
	]);
	const groupWeights: [string, number][] = [
		['child', 28],
		['young_person', 8],
		['parent_carer', 37],
		['practitioner', 21],
		['other', 6]
	];
	const qByKey = new Map(c.questions.map((q) => [q.key, q.id]));
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	/** PostgreSQL batches written without the row triggers (then rebuilt at the end). */
	const triggersOff = opts.rowTriggers
		? false
		: pg
			? (await sql<{ s: string }>`select current_setting('is_superuser') as s`.execute(db)).rows[0]?.s === 'on'
			: true;
	/** SQLite: the aggregate triggers, dropped and recreated around each batch. */
	const sqliteTriggers = triggersOff && !pg ? await derivedTriggers(db) : [];

	let answers = 0;
	let submissions = 0;
	let codings = 0;
	/** Submissions drawn at a time: the random sequence (and so the data for a seed) depends on it, so it stays put. */
	const BATCH = 400;
	/**
	 * Batches per transaction. SQLite: few large transactions (each commit writes and checkpoints the log, and
	 * each drops and creates the triggers, which makes every prepared statement prepare again).
	 */
	const PER_TRANSACTION = pg ? 1 : 25;
	/** The themes an answer's text matches, per question: the generated texts repeat (~17,000 distinct in 50,000). */
	const hitsOf = new Map<string, number[]>();
	const themeHits = (questionId: number, text: string): number[] => {
		const key = `${questionId}\u0000${text}`;
		let hit = hitsOf.get(key);
		if (!hit) {
			hit = (themes.get(questionId) ?? [])
				.filter((t) => {
					let m = matchers.get(t.id);
					if (!m) matchers.set(t.id, (m = keywordPredicate(t.keywords)));
					return m(text);
				})
				.map((t) => t.id);
			if (hitsOf.size >= 200_000) hitsOf.clear();
			hitsOf.set(key, hit);
		}
		return hit;
	};
	const restore = triggersOff && !pg ? await bulkLoadSettings(db) : null;
	try {
		while (answers < target)
			await db.transaction().execute(async (tx) => {
				if (triggersOff && pg) await sql`set local session_replication_role = replica`.execute(tx);
				await withoutTriggers(tx, sqliteTriggers, async () => {
					for (let k = 0; k < PER_TRANSACTION && answers < target; k++) {
						await writeBatch(tx);
						opts.log?.(`${answers.toLocaleString('en-GB')} answers…`);
					}
				});
			});
	} finally {
		await restore?.();
	}

	async function writeBatch(tx: Transaction<Database>) {
		const subRows: Record<string, unknown>[] = [];
		const perspectives: {
			sub: string;
			group: string | null;
			position: number;
			answers: { q: string; text: string }[];
			created: string;
		}[] = [];
		for (let i = 0; i < BATCH && answers < target; i++) {
			const id = randomUUID();
			const online = r.next() < 0.45;
			const session = online ? null : r.pick(sessions);
			const created = online
				? `${addDays(start, r.int(70))}T${String(8 + r.int(14)).padStart(2, '0')}:${String(r.int(60)).padStart(2, '0')}:00.000Z`
				: `${session!.date}T${String(10 + r.int(7)).padStart(2, '0')}:00:00.000Z`;
			const groups = online && r.next() < 0.05 ? ['young_person', 'parent_carer'] : [r.weighted(groupWeights)];
			const eq = (v: string) => (online ? v : 'not_asked');
			const adult = groups[0] !== 'child';
			subRows.push({
				id,
				consultation_id: c.id,
				reference: referenceFor(id),
				channel: online ? 'online' : 'library',
				collection_session_id: session?.id ?? null,
				location_id: session?.location ?? null,
				district_code: online ? r.weighted(districtWeights) : session!.district,
				entered_by: null,
				is_demo: 1,
				eq_age_band: eq(
					groups[0] === 'child'
						? 'under-13'
						: r.pick(['13-15', '16-17', '18-24', '25-34', '35-49', '50-64', 'prefer_not_to_say'])
				),
				eq_gender: eq(
					r.weighted([
						['female', 66],
						['male', 26],
						['self-describe', 1],
						['prefer_not_to_say', 4],
						['left_blank', 3]
					])
				),
				eq_gender_self: null,
				eq_disability: eq(
					r.weighted([
						['yes', 11],
						['no', 84],
						['prefer_not_to_say', 3],
						['left_blank', 2]
					])
				),
				eq_ethnicity: eq(
					r.weighted([
						['white-british', 86],
						['white-other', 4],
						['asian-pakistani', 3],
						['mixed-white-asian', 2],
						['black-african', 2],
						['prefer_not_to_say', 2],
						['left_blank', 1]
					])
				),
				eq_sexual_orientation:
					online && adult
						? r.weighted([
								['straight', 80],
								['gay-lesbian', 3],
								['bisexual', 4],
								['prefer_not_to_say', 8],
								['left_blank', 5]
							])
						: 'not_asked',
				created_at: created,
				updated_at: created
			});
			submissions++;
			groups.forEach((group, position) => {
				const keys = online
					? c.questions.map((q) => q.key).filter((k) => r.next() < (k <= 'q3' ? 0.92 : 0.6))
					: [session!.question];
				if (keys.length === 0) keys.push('q1');
				const list = keys.map((q) => ({ q, text: text(r, group, q) }));
				answers += list.length;
				perspectives.push({
					sub: id,
					group: online || r.next() < 0.95 ? group : null,
					position,
					answers: list,
					created
				});
			});
		}
		for (let i = 0; i < subRows.length; i += 200)
			await tx
				.insertInto('submission')
				.values(subRows.slice(i, i + 200) as never)
				.execute();
		const pids: number[] = [];
		for (let i = 0; i < perspectives.length; i += 500) {
			const rows = await tx
				.insertInto('perspective')
				.values(
					perspectives
						.slice(i, i + 500)
						.map((p) => ({ submission_id: p.sub, group_code: p.group, position: p.position }))
				)
				.returning('id')
				.execute();
			pids.push(...rows.map((x) => x.id));
		}
		const answerRows = perspectives.flatMap((p, k) =>
			p.answers.map((a) => ({
				submission_id: p.sub,
				perspective_id: pids[k],
				question_id: qByKey.get(a.q)!,
				text: a.text,
				redacted_text: a.text,
				pii_kinds: null,
				coded_at: now,
				reviewed_at: null as string | null,
				reviewed_by: null as number | null,
				created_at: p.created,
				updated_at: p.created
			}))
		);
		const aids: number[] = [];
		for (let i = 0; i < answerRows.length; i += 500) {
			const rows = await tx
				.insertInto('answer')
				.values(answerRows.slice(i, i + 500))
				.returning('id')
				.execute();
			aids.push(...rows.map((x) => x.id));
		}
		const codingRows: {
			answer_id: number;
			theme_id: number;
			source: 'auto' | 'human';
			applies: number;
			confidence: number | null;
			user_id: number | null;
			updated_at: string;
		}[] = [];
		const reviewed: number[] = [];
		answerRows.forEach((a, k) => {
			const hits = themeHits(a.question_id, a.text);
			const review = reviewer && r.next() < 0.02;
			if (review) reviewed.push(aids[k]);
			for (const t of hits) {
				// An officer removes about one automatic theme in ten on the answers they review.
				const removed = review && r.next() < 0.1;
				codingRows.push({
					answer_id: aids[k],
					theme_id: t,
					source: review ? 'human' : 'auto',
					applies: removed ? 0 : 1,
					confidence: Math.round((0.55 + r.next() * 0.44) * 100) / 100,
					user_id: review ? reviewer!.id : null,
					updated_at: now
				});
			}
		});
		for (let i = 0; i < codingRows.length; i += 1000)
			await tx
				.insertInto('answer_theme')
				.values(codingRows.slice(i, i + 1000))
				.execute();
		codings += codingRows.length;
		if (reviewed.length && reviewer)
			await tx
				.updateTable('answer')
				.set({ reviewed_at: now, reviewed_by: reviewer.id })
				.where('id', 'in', reviewed)
				.execute();
	}
	if (triggersOff && opts.rebuild !== false) {
		opts.log?.('rebuilding the analysis aggregates…');
		// PostgreSQL: triggersOff there means the role may skip them (superuser), as in the batches.
		await rebuildAggregates(db, { skipRowTriggers: true });
		await db
			.updateTable('data_version')
			.set({ version: sql<number>`version + 1` })
			.where('id', '=', 1)
			.execute();
	}
	// Fresh statistics for the query planner after a bulk load. PostgreSQL: VACUUM too. A bulk-loaded table has
	// no page marked all-visible, so no index-only scan skips the heap; its rows' commit hints are not set yet, so
	// the first views to read them write every page they touch; and the rebuild's update of every submission and
	// perspective left as many dead rows as live ones for the views to read past. Autovacuum would get to them in
	// its own time, or never where it is off (as on the shared development server); the views are measured now.
	await sql
		.raw(pg ? 'vacuum (analyze)' : 'analyze')
		.execute(db)
		.catch(() => {});
	return { submissions, answers, codings, ms: performance.now() - started };
}

const USAGE = [
	'usage: npm run generate:answers -- [--answers N] [--seed N] [--rebuild on|off]',
	'',
	'Fills the database named by DATABASE_URL (default file:db/consult.sqlite) with about N generated',
	'demo answers (default 100000) for the shipped consultation, from random seed N (default 7).',
	'',
	'  --answers N   how many answers to generate (a positive whole number)',
	'  --seed N      the random seed (a positive whole number); the same seed gives the same data',
	'  --rebuild off skip the closing aggregate rebuild and data-version bump (to time them apart; default on)',
	'  -h, --help    print this and exit without touching any database'
].join('\n');

/** What the command line asks for: a run, or the usage text. Throws UsageError on anything it does not know. */
export function parseGenerateArgs(
	args: string[]
): { help: true } | { help: false; answers: number; seed: number; rebuild: boolean } {
	let values: { answers?: string; seed?: string; rebuild?: string; help?: boolean };
	try {
		({ values } = parseArgs({
			args,
			options: {
				answers: { type: 'string' },
				seed: { type: 'string' },
				rebuild: { type: 'string' },
				help: { type: 'boolean', short: 'h' }
			},
			strict: true,
			allowPositionals: false
		}));
	} catch (e) {
		throw new UsageError((e as Error).message);
	}
	if (values.help) return { help: true };
	const num = (name: 'answers' | 'seed', dflt: number) => {
		const raw = values[name];
		if (raw === undefined) return dflt;
		const v = Number(raw);
		if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(v) || v <= 0)
			throw new UsageError(`--${name} needs a positive whole number`);
		return v;
	};
	if (values.rebuild !== undefined && values.rebuild !== 'on' && values.rebuild !== 'off')
		throw new UsageError('--rebuild takes on or off');
	return { help: false, answers: num('answers', 100_000), seed: num('seed', 7), rebuild: values.rebuild !== 'off' };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	// Arguments first, before any database is opened: --help and mistakes must not touch one.
	let parsed: ReturnType<typeof parseGenerateArgs> | undefined;
	try {
		parsed = parseGenerateArgs(process.argv.slice(2));
	} catch (e) {
		if (!(e instanceof UsageError)) throw e;
		console.error(`error: ${e.message}\n${USAGE}`);
		process.exitCode = 2;
	}
	if (parsed?.help) console.log(USAGE);
	else if (parsed)
		runMain(async () => {
			const open = await openPrepared();
			try {
				let last = 0;
				const result = await generateAnswers(open.db, {
					answers: parsed.answers,
					seed: parsed.seed,
					rebuild: parsed.rebuild,
					log: (s) => {
						if (Date.now() - last > 2000) {
							console.log(s);
							last = Date.now();
						}
					}
				});
				console.log(
					`Generated ${result.submissions.toLocaleString('en-GB')} submissions, ${result.answers.toLocaleString('en-GB')} answers and ${result.codings.toLocaleString('en-GB')} theme codings in ${(result.ms / 1000).toFixed(1)} s.`
				);
			} finally {
				await open.close();
			}
		});
}
