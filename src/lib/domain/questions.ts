/**
 * A question's wording as staff see it. A question whose wording the council
 * has not yet confirmed (`wordingToConfirm` in the consultation file) always
 * says so, wherever officers or entry staff meet it, so a draft wording is
 * never taken for the one respondents were really asked.
 */
export const WORDING_NOT_CONFIRMED = '(wording not confirmed)';

export function staffQuestionText(q: { text: string; wordingToConfirm?: boolean }): string {
	return q.wordingToConfirm ? `${q.text} ${WORDING_NOT_CONFIRMED}` : q.text;
}
