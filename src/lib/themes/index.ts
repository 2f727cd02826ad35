/**
 * Theme coding engine: turns free-text consultation answers into the themes of a codebook.
 * Pure TypeScript (natural, papaparse, zod); no database, Svelte or `$lib` imports, so it runs in
 * the app (server side) and in the CLI (`npm run themes`).
 *
 * ```ts
 * import { parseCodebook, trainCoder, codeAnswers, loadCoder, discoverThemes, evaluate } from './index';
 *
 * const codebook = parseCodebook(json);                    // zod-validated; throws CodebookError
 * const coder = trainCoder(codebook);                      // codebook alone: keywords, labels, descriptions
 * const coder2 = trainCoder(codebook, coded, { C: 0.5 });  // coded: {id, text, themes: string[]}[] → learns
 * const results = codeAnswers(coder2, [{ id: 'r1', text: 'there is nothing to do' }]);
 * //  → [{ id: 'r1', themes: [{ id: 'activities', confidence: 0.83 }] }]   (themes: [] means "other")
 * const saved = JSON.stringify(coder2.model);              // cache; later: loadCoder(saved)
 * const candidates = discoverThemes(answers, { coder: coder2 }); // ≤ 30 emerging themes from "other" answers
 * const report = evaluate(predicted, gold);                // per-theme P/R/F1, micro, macro (themes with ≥ 5 gold)
 * ```
 *
 * How it works (see docs/theme-engine.md): answers are tokenised (contractions expanded so negation is
 * visible), spelling-corrected against the codebook/training vocabulary (SymSpell-style deletions
 * checked with Damerau–Levenshtein, plus Metaphone keys), and Porter-stemmed. Keywords are matched
 * as phrases with small gaps and negation rules. With coded answers, one linear SVM per theme is
 * trained on TF-IDF of word 1–2-grams and character 2–5-grams plus the keyword evidence; confidences
 * are Platt-calibrated and per-theme thresholds chosen by k-fold cross-validation on the training
 * answers only. Everything is deterministic (seeded PRNG, stable sorts).
 */
export { parseCodebook, codebookSchema, CodebookError, type Codebook, type Theme } from './codebook';
export {
	trainCoder,
	codeAnswers,
	loadCoder,
	Coder,
	type Answer,
	type CodedAnswer,
	type CodingResult,
	type ThemeScore,
	type TrainOptions,
	type CoderModel
} from './coder';
export { codeNextOrder, uncertainty, jaccard, type QueueCandidate, type QueueOptions } from './active';
export { discoverThemes, type CandidateTheme, type DiscoverOptions } from './discover';
export { evaluate, formatEvaluation, type Evaluation, type ThemeMetrics, type ThemeSet } from './evaluate';
export { parseAnswersCsv, parseCodedCsv, parseThemesCsv, formatThemesCsv, parseCsv, CsvError } from './csv';
export { tokenize, stem, normalise, ngrams, Speller, STOP_WORDS } from './text';
export { KeywordMatcher, analyse, keywordPredicate } from './keywords';
export { findSelfDescriptions, contentTokens } from './self-description';
