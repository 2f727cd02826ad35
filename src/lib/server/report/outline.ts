/**
 * The report as a list of parts (headings, narrative, paragraphs, tables with their
 * charts, quotes, notes), in the order the report page shows them: the Markdown and
 * Word downloads are both written from this one outline, so they hold the same sections
 * and tables. Each chart is drawn from its table (chart.ts), never from other figures.
 */
import type { ConsultationView } from '../consultations/queries';
import type { TableData } from '../../analysis/tables';
import { seriesOf, type ChartMeasure, type Series } from '../../analysis/chart';
import { suppressionNote } from '../../analysis/suppress';
import { EDITED_MARK, quotesNote } from '../../analysis/quotes';
import { markdownBlocks, type Block } from '../../report/markdown';
import type { ReportData } from './data';

export type Part =
	| { kind: 'heading'; level: 1 | 2 | 3; text: string }
	| { kind: 'narrative'; blocks: Block[] }
	| { kind: 'text'; text: string; note?: boolean }
	| { kind: 'list'; items: string[] }
	| { kind: 'table'; table: TableData; chart: { series: Series[]; measure: ChartMeasure } | null }
	| { kind: 'quote'; text: string; who: string };

/** The chart of a table when it has one (the report page draws the same). */
function withChart(table: TableData, chart: boolean): Part {
	return { kind: 'table', table, chart: chart && table.chart ? seriesOf(table) : null };
}

export function reportOutline(c: ConsultationView, data: ReportData): Part[] {
	const parts: Part[] = [];
	const narrative = (key: string, heading?: string) => {
		const s = data.narrative.find((x) => x.key === key);
		if (!s?.body) return;
		if (heading) parts.push({ kind: 'heading', level: 2, text: heading });
		parts.push({ kind: 'narrative', blocks: markdownBlocks(s.body, 3) });
	};
	const eq = (id: string) => data.equality.find((t) => t.id === id);
	const groupLabel = (g: string | null) => c.groups.find((x) => x.code === g)?.label ?? 'Respondent';

	parts.push({ kind: 'heading', level: 1, text: c.title });
	parts.push({
		kind: 'text',
		text: `${c.organisation} · consultation report · ${data.filtered ? 'filtered figures' : 'all responses'}`
	});
	if (data.demo > 0)
		parts.push({
			kind: 'text',
			note: true,
			text: `Demo data: ${data.demo.toLocaleString('en-GB')} of the submissions are made-up demonstration rows, not real responses. Their gender figures are adjusted: the published report's (372 male, 1,010 female) add up to more than its own 1,144 online responses, so the demo keeps their proportion instead.`
		});
	narrative('introduction', 'Introduction');
	narrative('method', 'How we asked');

	parts.push({ kind: 'heading', level: 2, text: 'Who took part' });
	parts.push({
		kind: 'list',
		items: [
			`${data.headline.submissions} responses`,
			`${data.headline.online} online survey`,
			`${data.headline.faceToFace} face to face`,
			...(data.headline.otherChannels !== '0' ? [`${data.headline.otherChannels} imported`] : []),
			`${data.headline.perspectives} sets of answers (a respondent could answer from more than one perspective)`
		]
	});
	for (const t of data.groups) parts.push(withChart(t, true));
	parts.push({
		kind: 'text',
		text: `Demographic data was not captured for face-to-face respondents. ${data.headline.equalityCompleted} respondents completed the equality questions.`
	});
	for (const id of ['eq-gender', 'eq-disability', 'eq-age', 'eq-ethnicity', 'eq-orientation']) {
		const t = eq(id);
		if (t) parts.push(withChart(t, false));
	}

	parts.push({ kind: 'heading', level: 2, text: 'What people said' });
	parts.push({ kind: 'text', text: `${data.coding.coding} ${data.coding.agreement} ${data.ruleText}` });
	for (const qt of data.perQuestion) {
		parts.push({ kind: 'heading', level: 3, text: `${qt.question.key.toUpperCase()}: ${qt.question.text}` });
		narrative(`findings:${qt.question.key}`);
		parts.push(withChart(qt.ticks, false));
		parts.push(withChart(qt.counts, true));
		for (const t of data.quotes.filter((x) => x.questionId === qt.question.id))
			for (const q of t.quotes)
				parts.push({
					kind: 'quote',
					text: q.text,
					who: `${groupLabel(q.group)}, about ${t.label}${q.change === 'edited' ? `, ${EDITED_MARK}` : ''}`
				});
	}
	if (data.perQuestion.length === 0)
		parts.push({ kind: 'text', text: 'No questions have been coded into themes yet.' });

	narrative('conclusions', 'Conclusions');

	const anySuppressed = [...data.groups, ...data.equality, ...data.perQuestion.map((q) => q.counts)].some(
		(t) => t.anySuppressed
	);
	if (anySuppressed) parts.push({ kind: 'text', note: true, text: suppressionNote(data.filters.min, false) });
	parts.push({
		kind: 'text',
		note: true,
		text: quotesNote(data.quotes.flatMap((t) => t.quotes.map((q) => q.change)))
	});
	return parts;
}

/** What a cell reads in a document: a tick table's tick as "✓" (and "Yes" for screen readers in Word's alt text). */
export function cellText(table: TableData, cell: TableData['rows'][number]['cells'][number]): string {
	return table.ticks ? (cell.tick ? '✓' : '') : cell.text;
}
