import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen: never import application code here; a later change gets a new migration.

/**
 * "coded" of answers coded with a theme of another question (issue #19, the property test's rare failure).
 *
 * Migration 2026-12-01-0220 recomputes "coded" when a theme is retired, brought back or deleted, but only for
 * the theme's own question. An answer moved to another question (a hand-run SQL fix; the property's
 * `move-answer`) keeps its codings, so it can carry a theme of its old question; every other writer and the
 * rebuild count such a coding (an active theme that applies, whatever its question), the theme triggers did
 * not, and the kept "coded" drifted from the rebuild by one per such answer.
 *
 * The theme's own question(s) keep their full recompute; the answers of any other question that carry a
 * coding of the theme get an exact shift instead (has an active theme now − had one before), through the
 * codings' index by theme (answer_theme_theme_answer), so the usual case (no such answer) costs one index probe.
 * A deleted theme's codings are gone by the time its AFTER trigger runs (the cascade), so the shift for the
 * other questions' answers is taken in a BEFORE DELETE trigger, while the codings are still there; the
 * cascade's own answer_theme triggers then shift nothing (the theme they would look up is already gone).
 */

const ANSWER_KEY = '(question_id, group_code, district_code, channel)';
const ADD_ANSWER = `on conflict ${ANSWER_KEY} do update set n = analysis_agg_answer.n + excluded.n, coded = analysis_agg_answer.coded + excluded.coded`;
const dims = `coalesce(p.group_code, ''), coalesce(s.district_code, ''), s.channel`;

/** The answer (by an id expression) has an active theme that applies (migration 0220's hasActive). */
const hasActive = (answerId: string, exceptTheme?: string) =>
	`exists (select 1 from answer_theme hx join theme ht on ht.id = hx.theme_id where hx.answer_id = ${answerId} and hx.applies = 1 and ht.status = 'active'${exceptTheme ? ` and hx.theme_id <> ${exceptTheme}` : ''})`;

/** Migration 0220's recompute of one question's "coded" (unchanged: the theme's own question). */
function recodeQuestion(q: string): string[] {
	return [
		`update analysis_agg_answer set coded = 0 where question_id = ${q}`,
		`insert into analysis_agg_answer (question_id, group_code, district_code, channel, n, coded)
		 select a.question_id, coalesce(p.group_code, ''), coalesce(s.district_code, ''), s.channel, 0, count(*)
		 from answer a join perspective p on p.id = a.perspective_id join submission s on s.id = a.submission_id
		 where a.question_id = ${q} and ${hasActive('a.id')}
		 group by a.question_id, coalesce(p.group_code, ''), coalesce(s.district_code, ''), s.channel
		 ${ADD_ANSWER}`
	];
}

/**
 * "coded" shifted for the answers outside `skip` that have a coding of theme `theme` that applies: `now` and
 * `before` say whether each answer (a.id) has an active theme that applies after and before the change.
 */
function shiftOthers(theme: string, skip: string, now: string, before: string): string {
	const shift = `(case when ${now} then 1 else 0 end) - (case when ${before} then 1 else 0 end)`;
	return `insert into analysis_agg_answer (question_id, group_code, district_code, channel, n, coded)
		select a.question_id, ${dims}, 0, sum(${shift})
		from answer_theme x join answer a on a.id = x.answer_id
		join perspective p on p.id = a.perspective_id join submission s on s.id = a.submission_id
		where x.theme_id = ${theme} and x.applies = 1 and ${skip}
		group by a.question_id, ${dims}
		having sum(${shift}) <> 0
		${ADD_ANSWER}`;
}

const UPDATE_WHEN = `(old.status = 'active') <> (new.status = 'active') or old.question_id <> new.question_id`;

/** agg_theme_update's body: 0220's (`withOthers` false) or with the other questions' answers shifted. */
function updateBody(withOthers: boolean): string[] {
	const body = [...recodeQuestion('old.question_id'), ...recodeQuestion('new.question_id')];
	if (withOthers)
		body.push(
			// After the update: "now" reads the new status; "before", the answer's other themes or this one as it was.
			shiftOthers(
				'new.id',
				'a.question_id <> old.question_id and a.question_id <> new.question_id',
				hasActive('a.id'),
				`(${hasActive('a.id', 'new.id')} or old.status = 'active')`
			)
		);
	return body;
}

/** Before the delete: the theme and its codings are still there; afterwards the answer keeps only its others. */
const DELETE_BODY = [shiftOthers('old.id', 'a.question_id <> old.question_id', hasActive('a.id', 'old.id'), hasActive('a.id'))];

async function setUpdateTrigger(db: Kysely<any>, pg: boolean, withOthers: boolean) {
	const body = updateBody(withOthers)
		.map((s) => `${s};`)
		.join('\n');
	if (pg) {
		// The trigger (0220's, AFTER UPDATE FOR EACH ROW) stays; its function's body is replaced.
		await sql
			.raw(
				`create or replace function agg_theme_update() returns trigger language plpgsql as $$
				 begin
				 if ${UPDATE_WHEN} then ${body} end if;
				 return null;
				 end $$`
			)
			.execute(db);
	} else {
		await sql.raw(`drop trigger if exists agg_theme_update`).execute(db);
		await sql.raw(`create trigger agg_theme_update after update on theme when ${UPDATE_WHEN} begin ${body} end`).execute(db);
	}
}

export async function up(db: Kysely<any>): Promise<void> {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	await setUpdateTrigger(db, pg, true);
	const body = DELETE_BODY.map((s) => `${s};`).join('\n');
	if (pg) {
		await sql
			.raw(
				`create function agg_theme_delete_others() returns trigger language plpgsql as $$
				 begin ${body} return old; end $$`
			)
			.execute(db);
		await sql
			.raw(`create trigger agg_theme_delete_others before delete on theme for each row execute function agg_theme_delete_others()`)
			.execute(db);
	} else {
		await sql.raw(`create trigger agg_theme_delete_others before delete on theme begin ${body} end`).execute(db);
	}
	// Put right what the old triggers left wrong: "coded" recomputed from the base tables (as 0220's rebuild).
	await sql.raw(`update analysis_agg_answer set coded = 0`).execute(db);
	await sql
		.raw(
			`insert into analysis_agg_answer (question_id, group_code, district_code, channel, n, coded)
			 select a.question_id, ${dims}, 0, count(*)
			 from answer a join perspective p on p.id = a.perspective_id join submission s on s.id = a.submission_id
			 where ${hasActive('a.id')}
			 group by a.question_id, ${dims}
			 ${ADD_ANSWER}`
		)
		.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	await sql.raw(`drop trigger if exists agg_theme_delete_others${pg ? ' on theme' : ''}`).execute(db);
	if (pg) await sql.raw(`drop function if exists agg_theme_delete_others()`).execute(db);
	await setUpdateTrigger(db, pg, false);
}
