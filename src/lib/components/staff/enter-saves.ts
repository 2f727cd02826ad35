/**
 * Enter saves the form from any of its fields, as staff typing leaves expect:
 * in the text box (Shift and Enter still starts a new line) and on a select,
 * where Enter would otherwise open the list instead of saving. Buttons and links
 * keep their own Enter. Attach to the form: `<form onkeydown={enterSaves}>`.
 */
export function enterSaves(event: KeyboardEvent): void {
	if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.altKey || event.ctrlKey || event.metaKey)
		return;
	const field = event.target;
	if (!(
		field instanceof HTMLTextAreaElement ||
		field instanceof HTMLSelectElement ||
		field instanceof HTMLInputElement
	))
		return;
	if (
		field instanceof HTMLInputElement &&
		['button', 'submit', 'reset', 'checkbox', 'radio', 'file'].includes(field.type)
	)
		return;
	event.preventDefault();
	field.form?.requestSubmit();
}
