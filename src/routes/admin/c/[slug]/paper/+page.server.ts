import { analysisContext } from '$lib/server/analysis/route';
import { paperVersion } from '$lib/server/survey/paper';
import type { PageServerLoad } from './$types';

/** The printable survey (?easy=1 for easy read), for officers to print for libraries and schools. */
export const load: PageServerLoad = async (event) => {
	const { consultation } = await analysisContext(event);
	const easy = event.url.searchParams.get('easy') === '1';
	return { easy, paper: paperVersion(consultation, easy) };
};
