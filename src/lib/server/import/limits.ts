/** The largest spreadsheet the import accepts. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** Room for the multipart envelope and the other form fields around the file. */
export const UPLOAD_SLACK_BYTES = 64 * 1024;
/** Rows in one import. */
export const MAX_IMPORT_ROWS = 20_000;
