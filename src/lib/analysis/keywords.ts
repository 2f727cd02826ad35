/**
 * Keyword matching for the app's keyword tools (splitting a theme): the theme engine's own matcher
 * (src/lib/themes/keywords.ts), so "bully" finds "bullied" and "park" finds "parks" exactly as
 * when the engine codes. There is deliberately no second, literal matcher.
 */
export { keywordPredicate } from '../themes/keywords';
