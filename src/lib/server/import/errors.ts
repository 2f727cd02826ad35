/**
 * A problem with an uploaded file as a whole: shown to the officer as it is.
 * In a module of its own so that the server's main thread can recognise it
 * without loading the spreadsheet libraries, which only the parsing worker needs.
 */
export class ImportFileError extends Error {}
