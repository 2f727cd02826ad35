/** The largest spreadsheet the import accepts. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** Room for the multipart envelope and the other form fields around the file. */
const UPLOAD_SLACK_BYTES = 64 * 1024;
/** The largest import request body: the file and its form around it. */
export const MAX_UPLOAD_REQUEST_BYTES = MAX_UPLOAD_BYTES + UPLOAD_SLACK_BYTES;
/** Rows in one import. */
export const MAX_IMPORT_ROWS = 20_000;

/*
 * Limits checked while a file is read, before the work they bound is done: a
 * hostile file (one cell in column XFD, a header of millions of commas, a zip
 * that inflates to gigabytes) is refused from its first row or its zip
 * directory, not after the server has tried to hold it.
 */
/** Named columns in the header row. */
export const MAX_COLUMNS = 50;
/** Cells in any one CSV record (trailing empty cells from spreadsheet exports count). */
export const MAX_FIELDS_PER_RECORD = 1_000;
/** Characters in the header row. */
export const MAX_HEADER_CHARS = 16 * 1024;
/** Characters in one cell: Excel's own limit is 32,767. */
export const MAX_CELL_CHARS = 32_767;
/** Characters of cell text kept from one file (the held preview lives in server memory). */
export const MAX_SHEET_CHARS = 16 * 1024 * 1024;
/** Rows read from an XLSX sheet, empty ones included, before giving up. */
export const MAX_SHEET_ROWS_SEEN = 100_000;
/** Parts in an XLSX zip: a one-sheet workbook has about a dozen. */
export const MAX_ZIP_ENTRIES = 200;
/** Sum of the declared uncompressed sizes of an XLSX's parts. */
export const MAX_ZIP_UNCOMPRESSED_BYTES = 120 * 1024 * 1024;
/** Worksheets in an XLSX. */
export const MAX_SHEETS = 20;
/** The parsing worker's heap: it dies, not the server, when a file needs more. */
export const PARSE_WORKER_HEAP_MB = Number(process.env.IMPORT_PARSE_HEAP_MB ?? 160);
/** The parsing worker is stopped after this long. */
export const PARSE_TIMEOUT_MS = Number(process.env.IMPORT_PARSE_TIMEOUT_MS ?? 30_000);
/** Files read at the same time (each in its own worker); others wait in a short queue. */
export const PARSE_CONCURRENCY = 1;
export const PARSE_QUEUE = 4;
/**
 * An import's write transaction, and each slice of screening before it, lasts about this long,
 * so other requests wait at most about this long behind an import (was 40 ms with the screening
 * inside the transaction: survey p99 15x idle while a 20,000-row import committed; 8 ms until
 * the import gave way to submissions).
 */
export const COMMIT_CHUNK_MS = Number(process.env.IMPORT_CHUNK_MS ?? 4);
/**
 * Before each slice of screening and each write, an import waits while survey submissions are in
 * flight in this process (survey/in-flight.ts), for at most this long (IMPORT_GIVE_WAY_MS; 0 turns
 * it off), so a submission runs its steps without an import slice between them, and an import under
 * a steady flood of submissions still moves (about one slice per this long).
 */
export const COMMIT_GIVE_WAY_MS = Math.max(0, Number(process.env.IMPORT_GIVE_WAY_MS ?? 50) || 0);
/**
 * The share of the main thread a background import takes (IMPORT_BUSY_SHARE, 0.1–1; default
 * 0.5): after each slice of screening or each write that took d ms, the import rests
 * d × (1 − share) / share ms on a timer. A turn of the event loop alone (setImmediate) let a
 * queued request take one step, but a survey submission takes several (body, validation, its
 * transaction, the answer), each of which then waited behind another slice: the rest lets
 * requests finish whole while the import waits.
 */
export const COMMIT_BUSY_SHARE = Math.min(1, Math.max(0.1, Number(process.env.IMPORT_BUSY_SHARE ?? 0.5) || 0.5));
/** The fewest rows an import's write transaction holds, however slow the writes are (each commit is a disk flush). */
export const MIN_CHUNK_ROWS = 20;
