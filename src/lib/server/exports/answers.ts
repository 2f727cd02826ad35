/**
 * Every answer with its submission's fields and themes, one row per answer, for
 * CSV and XLSX. Read in pages by answer id (never all rows at once) and streamed.
 * The text is the redacted text wherever personal data was found, and withheld for answers under
 * safeguarding review unless the person exporting has the safeguarding permission.
 * Staff exports are row-level, so small-cell suppression does not apply: the equality answers
 * are given as the dashboard labels them (the self-described gender's words are not exported,
 * as no screen shows them). Column order is fixed; new columns are only ever added at the end.
 * The XLSX writer is in answers-xlsx.ts: exceljs takes about a second of CPU to load, which the CSV
 * route's first request paid before its first byte while the two shared this module (issue #19).
 */
import Papa from 'papaparse';
import type { Db } from '../db/connect';
import type { ConsultationView } from '../consultations/queries';
import { conditions, type Scope } from '../analysis/scope';
import { neutraliseCell } from './neutralise';
import { shownText, underSafeguardingReview } from '../safeguarding/withheld';
import { LEFT_BLANK, labelFor, type EqualityField } from '../../domain/equality';

export const ANSWER_COLUMNS = [
	'Submission reference',
	'Channel',
	'District',
	'Location',
	'Session date',
	'Created at',
	'Respondent group',
	'Question key',
	'Question text',
	'Answer text (redacted)',
	'Themes',
	'Reviewed',
	// Added for issue #14, after the original twelve so existing spreadsheets keep their columns.
	'Theme confidence',
	'Theme source',
	'Age band',
	'Gender',
	'Disability',
	'Ethnicity',
	'Sexual orientation'
] as const;

/** The equality columns, in ANSWER_COLUMNS order, with the dashboard's labels. */
const EQUALITY_COLUMNS: EqualityField[] = ['ageBand', 'gender', 'disability', 'ethnicity', 'sexualOrientation'];

/** How a coding came about, in words an officer uses. */
const SOURCE_LABEL = { auto: 'machine', human: 'person' } as const;

export type AnswerRow = (string | null)[];

/** Pages of export rows (already neutralised against formula injection). */
export async function* answerRowPages(
	db: Db,
	c: ConsultationView,
	s: Scope,
	pageSize = 2000,
	viewer: { mayReadFlagged: boolean } = { mayReadFlagged: false }
): AsyncGenerator<AnswerRow[]> {
	const groups = new Map(c.groups.map((g) => [g.code, g.label]));
	const districts = new Map(c.districts.map((d) => [d.code, d.label]));
	const questions = new Map(c.questions.map((q) => [q.id, q]));
	let after = 0;
	for (;;) {
		const rows = await db
			.selectFrom('answer')
			.innerJoin('perspective', 'perspective.id', 'answer.perspective_id')
			.innerJoin('submission', 'submission.id', 'answer.submission_id')
			.leftJoin('location', 'location.id', 'submission.location_id')
			.leftJoin('collection_session', 'collection_session.id', 'submission.collection_session_id')
			.where((eb) => conditions(eb, s, 'answer'))
			.where('answer.id', '>', after)
			.select([
				'answer.id',
				'answer.question_id',
				'submission.eq_age_band',
				'submission.eq_gender',
				'submission.eq_disability',
				'submission.eq_ethnicity',
				'submission.eq_sexual_orientation',
				'answer.text',
				'answer.redacted_text',
				'answer.reviewed_at',
				'submission.reference',
				'submission.channel',
				'submission.district_code',
				'submission.created_at',
				'perspective.group_code',
				'location.name as location',
				'collection_session.session_date'
			])
			.select((eb) => underSafeguardingReview(eb, 'answer.id').as('under_review'))
			.orderBy('answer.id')
			.limit(pageSize)
			.execute();
		if (rows.length === 0) return;
		after = rows[rows.length - 1].id;
		const themes = await db
			.selectFrom('answer_theme')
			.innerJoin('theme', 'theme.id', 'answer_theme.theme_id')
			.select(['answer_theme.answer_id', 'theme.label', 'answer_theme.confidence', 'answer_theme.source'])
			.where(
				'answer_theme.answer_id',
				'in',
				rows.map((r) => r.id)
			)
			.where('answer_theme.applies', '=', 1)
			.where('theme.status', '=', 'active')
			.orderBy('theme.position')
			.orderBy('theme.id')
			.execute();
		const byAnswer = new Map<number, (typeof themes)[number][]>();
		for (const t of themes) {
			const list = byAnswer.get(t.answer_id) ?? [];
			list.push(t);
			byAnswer.set(t.answer_id, list);
		}
		yield rows.map((r) => {
			const coded = byAnswer.get(r.id) ?? [];
			const equality: Record<EqualityField, string> = {
				ageBand: r.eq_age_band,
				gender: r.eq_gender,
				disability: r.eq_disability,
				ethnicity: r.eq_ethnicity,
				sexualOrientation: r.eq_sexual_orientation
			};
			return [
				r.reference,
				r.channel,
				r.district_code ? (districts.get(r.district_code) ?? r.district_code) : '',
				r.location ?? '',
				r.session_date ?? '',
				r.created_at,
				r.group_code ? (groups.get(r.group_code) ?? r.group_code) : 'Not known',
				questions.get(r.question_id)?.key ?? '',
				questions.get(r.question_id)?.text ?? '',
				shownText(r.redacted_text ?? r.text ?? '', Boolean(Number(r.under_review)), viewer.mayReadFlagged),
				coded.map((t) => t.label).join('; '),
				r.reviewed_at ? 'yes' : 'no',
				// One entry per theme, in the Themes column's order; an officer's coding has no confidence.
				coded.map((t) => (t.confidence === null ? '–' : t.confidence.toFixed(2))).join('; '),
				coded.map((t) => SOURCE_LABEL[t.source]).join('; '),
				...EQUALITY_COLUMNS.map((f) => labelFor(f, equality[f] ?? LEFT_BLANK))
			].map((v) => neutraliseCell(v));
		});
		if (rows.length < pageSize) return;
	}
}

/** The answers as a CSV stream (UTF-8 with a byte-order mark so Excel reads it as UTF-8). */
export function answersCsvStream(
	db: Db,
	c: ConsultationView,
	s: Scope,
	viewer: { mayReadFlagged: boolean } = { mayReadFlagged: false }
): ReadableStream<Uint8Array> {
	const pages = answerRowPages(db, c, s, 2000, viewer);
	const enc = new TextEncoder();
	let first = true;
	return new ReadableStream({
		async pull(controller) {
			if (first) {
				first = false;
				controller.enqueue(enc.encode(`\uFEFF${Papa.unparse([ANSWER_COLUMNS as unknown as string[]])}\r\n`));
				return;
			}
			const next = await pages.next();
			if (next.done) return controller.close();
			controller.enqueue(enc.encode(`${Papa.unparse(next.value)}\r\n`));
		},
		async cancel() {
			await pages.return(undefined);
		}
	});
}
