export { screenAnswer } from './screen';
export type { ScreenResult, SafeguardingMatch, Category, Level } from './screen';
export { LEXICON } from './lexicon';
