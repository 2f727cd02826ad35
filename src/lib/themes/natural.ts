/**
 * The parts of `natural` the theme engine uses, loaded module by module. `import natural from
 * 'natural'` loads the whole library (classifiers, WordNet, sentiment, Redis/MongoDB/Postgres
 * storage backends, dotenv): about 1 s per process or worker thread, for nothing we use. These are
 * the very same modules its index re-exports, so results do not change.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const lib = 'natural/lib/natural/';

export const PorterStemmer = require(lib + 'stemmers/porter_stemmer') as { stem(word: string): string };
export const DamerauLevenshteinDistance = (
	require(lib + 'distance/levenshtein_distance') as { DamerauLevenshteinDistance(a: string, b: string): number }
).DamerauLevenshteinDistance;
export const JaroWinklerDistance = require(lib + 'distance/jaro-winkler_distance') as (a: string, b: string) => number;
export const DoubleMetaphone = require(lib + 'phonetics/double_metaphone') as new () => { process(word: string): [string, string] };
export const NGrams = require(lib + 'ngrams/ngrams') as { ngrams(tokens: string[], n: number): string[][] };
export const stopwords = (require(lib + 'util/stopwords') as { words: string[] }).words;
