/**
 * Spreadsheet formula injection: a cell that starts with = + - @ tab or carriage
 * return can be run as a formula by Excel, LibreOffice or Google Sheets. Such
 * text cells get a leading single quote so they are shown, never run. Numbers
 * are left as numbers (a negative count is not a formula).
 */
const DANGEROUS = /^[=+\-@\t\r]/;

export function neutraliseCell<T>(value: T): T | string {
	if (typeof value !== 'string') return value;
	return DANGEROUS.test(value) ? `'${value}` : value;
}
