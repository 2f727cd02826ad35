/**
 * The answers export as an XLSX workbook (the rows are answers.ts's pages). A module of its own so that
 * only the XLSX route loads exceljs: loading it costs about a second of CPU, which the CSV export's first
 * request paid before its first byte while both lived in answers.ts (issue #19).
 */
import ExcelJS from 'exceljs';
import { PassThrough, Readable, type Writable } from 'node:stream';
import type { Db } from '../db/connect';
import type { ConsultationView } from '../consultations/queries';
import type { Scope } from '../analysis/scope';
import { ANSWER_COLUMNS, answerRowPages } from './answers';

/**
 * Waits until the zip compressor has taken the rows written so far. exceljs' streaming writer
 * never says no to a row: without this wait a fast database outruns the compressor (and a slow
 * download), every row piles up in memory and nothing reaches the client until the end. The
 * worksheet's rows flow through a PassThrough that the zip reads from (exceljs 4 / archiver
 * internals, read defensively: without them the export still works, only unthrottled). The
 * compressor reads it only as fast as the response is read, so this also carries the client's
 * backpressure back to the database reads.
 */
async function compressorCaughtUp(ws: ReturnType<ExcelJS.stream.xlsx.WorkbookWriter['addWorksheet']>): Promise<void> {
	const sheet = (ws as unknown as { stream?: { pipes?: unknown[] } }).stream;
	// archiver's PassThrough comes from the readable-stream package, which lacks writableNeedDrain.
	const into = sheet?.pipes?.[0] as (Writable & { _writableState?: { needDrain?: boolean } }) | undefined;
	if (!into || typeof into.once !== 'function') return;
	while (into._writableState?.needDrain && !into.destroyed) {
		await new Promise<void>((resolve) => {
			const done = () => {
				into.off('drain', done);
				into.off('close', done);
				resolve();
			};
			into.once('drain', done);
			into.once('close', done);
		});
	}
}

/** The answers as an XLSX workbook, written row by row with exceljs' streaming writer. */
export function answersXlsxStream(
	db: Db,
	c: ConsultationView,
	s: Scope,
	viewer: { mayReadFlagged: boolean } = { mayReadFlagged: false }
): ReadableStream<Uint8Array> {
	const out = new PassThrough();
	const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
	void (async () => {
		try {
			const ws = wb.addWorksheet('Answers');
			ws.columns = ANSWER_COLUMNS.map((h, i) => ({ header: h, key: String(i), width: i === 9 || i === 8 ? 60 : 18 }));
			ws.getRow(1).font = { bold: true };
			ws.getRow(1).commit();
			for await (const page of answerRowPages(db, c, s, 2000, viewer)) {
				if (out.destroyed) return; // the download was cancelled: stop reading the database
				for (const r of page) ws.addRow(r).commit();
				await compressorCaughtUp(ws);
			}
			ws.commit();
			await wb.commit();
		} catch (error) {
			out.destroy(error as Error);
		}
	})();
	return Readable.toWeb(out) as unknown as ReadableStream<Uint8Array>;
}
