/**
 * A link inside the survey at /s/<slug>/<path>, keeping easy read (?easy=1)
 * and any extra query parameters. Shared by pages and server actions.
 */
export function surveyHref(slug: string, path: string, easy: boolean, extra: Record<string, string> = {}): string {
	const params = new URLSearchParams();
	if (easy) params.set('easy', '1');
	for (const [k, v] of Object.entries(extra)) params.set(k, v);
	const query = params.toString();
	return `/s/${slug}${path ? `/${path}` : ''}${query ? `?${query}` : ''}`;
}
