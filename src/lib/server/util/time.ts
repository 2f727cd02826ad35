/** Current time as ISO-8601 text: how every timestamp is stored, on both engines. */
export function nowIso(): string {
	return new Date().toISOString();
}
