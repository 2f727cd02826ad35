/**
 * The one rule for the length of a staff note (a raised concern, a safeguarding decision, a leaf's
 * "this worries me" note). Counted as the browser's `maxlength` and zod's `.max()` count (UTF-16
 * units), so the text box stops where the server would refuse. No zod here: the entry screen and
 * the concern form import it in the browser.
 */
export const MAX_NOTE_LENGTH = 2000;
