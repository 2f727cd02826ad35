/**
 * Spreadsheet formula injection: a cell that starts with = + - @ tab or carriage
 * return can be run as a formula by Excel, LibreOffice or Google Sheets. Such
 * text cells get a leading single quote so they are shown, never run. Numbers
 * are left as numbers (a negative count is not a formula).
 *
 * The full-width (＝ ＋ － ＠), small-form (﹦ ﹢ ﹣ ﹫) and minus-sign (−) look-alikes
 * count too: spreadsheet input methods and some imports fold them to the ASCII
 * characters, and a phone keyboard can type them.
 */
const DANGEROUS = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20\uFE66\uFE62\uFE63\uFE6B\u2212]/;

export function neutraliseCell<T>(value: T): T | string {
	if (typeof value !== 'string') return value;
	return DANGEROUS.test(value) ? `'${value}` : value;
}
