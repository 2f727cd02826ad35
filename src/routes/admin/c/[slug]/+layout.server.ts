import { analysisContext, publicShape } from '$lib/server/analysis/route';
import { activeThemes } from '$lib/server/analysis/queries';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async (event) => {
	const { db, consultation } = await analysisContext(event);
	const themes = await activeThemes(
		db,
		consultation.questions.map((q) => q.id)
	);
	const keyOf = new Map(consultation.questions.map((q) => [q.id, q.key]));
	return {
		consultation: publicShape(consultation),
		themes: themes.map((t) => ({
			id: t.id,
			label: t.label,
			questionKey: keyOf.get(t.question_id)!,
			questionId: t.question_id
		}))
	};
};
