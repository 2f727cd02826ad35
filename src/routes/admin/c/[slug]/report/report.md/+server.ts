import { analysisContext } from '$lib/server/analysis/route';
import { reportDownload } from '$lib/server/report/download';
import type { RequestHandler } from './$types';

/** The report as one Markdown file, as the report page shows it for the same filters. */
export const GET: RequestHandler = async (event) => reportDownload(await analysisContext(event), event.url, 'md');
