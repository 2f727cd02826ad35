/**
 * The one doorway to `natural` for the theme engine, the safeguarding screen and the scripts: the modules used,
 * loaded one by one, typed with the declarations natural itself ships (natural 8 has its own .d.ts files, so
 * nothing here is hand-typed).
 *
 * Why not `import natural from 'natural'`: its public entry loads the whole library (classifiers, WordNet,
 * sentiment, the Redis/MongoDB/PostgreSQL storage backends and dotenv, which reads a `.env` file into
 * process.env and prints notices on stdout). Measured on the 2-core machine, 30 November 2026, under load:
 * the public entry 18–20 s per process or worker thread; natural's folder entries (`natural/lib/natural/
 * stemmers` etc.) 2.4 s; these seven modules 0.35 s. They are the very modules its index re-exports, so
 * results are the same.
 */
import { createRequire } from 'node:module';
import type * as Stemmers from 'natural/lib/natural/stemmers';
import type * as Phonetics from 'natural/lib/natural/phonetics';
import type * as Distance from 'natural/lib/natural/distance';
import type * as Ngrams from 'natural/lib/natural/ngrams';
import type * as Util from 'natural/lib/natural/util';

const require = createRequire(import.meta.url);
const lib = 'natural/lib/natural/';

export const PorterStemmer = require(lib + 'stemmers/porter_stemmer') as typeof Stemmers.PorterStemmer;
export const DamerauLevenshteinDistance = (require(lib + 'distance/levenshtein_distance') as typeof Distance)
	.DamerauLevenshteinDistance;
export const JaroWinklerDistance = require(
	lib + 'distance/jaro-winkler_distance'
) as typeof Distance.JaroWinklerDistance;
export const Metaphone = require(lib + 'phonetics/metaphone') as typeof Phonetics.Metaphone;
export const DoubleMetaphone = require(lib + 'phonetics/double_metaphone') as typeof Phonetics.DoubleMetaphone;
export const NGrams = require(lib + 'ngrams/ngrams') as typeof Ngrams.NGrams;
export const stopwords = (require(lib + 'util/stopwords') as { words: typeof Util.stopwords }).words;

/** The 92k-word English lexicon shipped with natural's Brill tagger (word -> tags), or {} if it is missing. */
export function brillLexicon(): Record<string, unknown> {
	try {
		return require(lib + 'brill_pos_tagger/data/English/lexicon_from_posjs.json') as Record<string, unknown>;
	} catch {
		return {};
	}
}
