import type { Codebook } from '../../themes/codebook';

/**
 * The seam between the app and the theme engine (src/lib/themes). Everything
 * the app needs from the engine passes through these three names.
 * TEMPORARY: until the engine's learner lands, codes nothing.
 */
export interface Coder {
	codebook: Codebook;
}

export function trainCoder(codebook: Codebook, _coded: { id: string; text: string; themes: string[] }[]): Coder {
	return { codebook };
}

export function codeAnswers(_coder: Coder, answers: { id: string; text: string }[]): { id: string; themes: { id: string; confidence: number }[] }[] {
	return answers.map((a) => ({ id: a.id, themes: [] }));
}
