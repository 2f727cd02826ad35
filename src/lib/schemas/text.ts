import { z } from 'zod';

/**
 * Control characters other than tab and line breaks (CR, LF) carry no meaning in
 * anything a person types, and PostgreSQL refuses the NUL character outright
 * (a leaf holding one would be answered "try again" forever). Every route in
 * (survey form, JSON endpoint, face-to-face entry, import) removes them with
 * cleanText, so the same words store the same way on both engines.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point: cleanText removes them
export const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** The one text-cleaning rule: removes control characters (NUL included), keeps tab and line breaks. */
export function cleanText(text: string): string {
	return text.replace(CONTROL_CHARACTERS, '');
}

/** A zod string that comes out cleaned (checks such as .max() run on the text as sent). */
export const cleanedText = (schema: z.ZodString = z.string()) => schema.transform(cleanText);
