import type { Migration } from 'kysely';
import * as core from './2026-11-22-0001-core';
import * as analysisIndexes from './2026-11-22-0004-analysis-indexes';
import * as safeguardingReading from './2026-11-30-0010-safeguarding-reading';
import * as auditWithoutTexts from './2026-11-30-0030-audit-without-texts';
import * as entryChangeover from './2026-11-30-0060-entry-changeover';
import * as sampleCheck from './2026-11-30-0130-sample-check';
import * as resultsPage from './2026-11-30-0170-results-page';
import * as shareLink from './2026-11-30-0171-share-link';
import * as dataVersion from './2026-11-30-0240-data-version';
import * as sharedState from './2026-11-30-0241-shared-state';
import * as codingProgress from './2026-11-30-0270-coding-progress';
import * as reportSection from './2026-11-30-0230-report-section';
import * as consultationBuilder from './2026-11-30-0250-consultation-builder';
import * as answerLanguage from './2026-11-30-0260-answer-language';
import * as analysisAggregates from './2026-12-01-0220-analysis-aggregates';
import * as submissionAggregates from './2026-12-01-0300-submission-aggregates';
import * as answerUncodedIndex from './2026-12-01-0240-answer-uncoded-index';
import * as quoteWording from './2026-12-01-0180-quote-wording';
import * as codingAggregates from './2026-12-01-0400-coding-aggregates';
import * as groupSetAggregates from './2026-12-01-0500-group-set-aggregates';
import * as rateLimitUnlogged from './2026-12-01-0800-rate-limit-unlogged';
import * as readingAggregates from './2026-12-02-0200-reading-aggregates';
import * as backgroundLease from './2026-12-02-0400-background-lease';
import * as codingTriggerBypass from './2026-12-03-0200-coding-trigger-bypass';
import * as answerRiskVersion from './2026-12-04-0100-answer-risk-version';
import * as languageAggregates from './2026-12-04-0200-language-aggregates';
import * as questionSetAggregates from './2026-12-05-0100-question-set-aggregates';
import * as questionSetEquality from './2026-12-05-0110-question-set-equality';
import * as quoteOrderIndex from './2026-12-06-0300-quote-order-index';
import * as redundantWriteIndexes from './2026-12-06-0400-redundant-write-indexes';
import * as unusedAnswerIndexes from './2026-12-07-0400-unused-answer-indexes';
import * as reclaimPending from './2026-12-09-0100-reclaim-pending';
import * as reviewAggregates from './2026-12-09-0200-review-aggregates';
import * as groupSetChannelEquality from './2026-12-09-0300-group-set-channel-equality';
import * as questionSetClaimed from './2026-12-09-0400-question-set-claimed';
import * as groupSetClaimed from './2026-12-10-0300-group-set-claimed';
import * as themeMovedAnswers from './2026-12-10-0500-theme-moved-answers';
import * as writerAggregates from './2026-12-11-0200-writer-aggregates';
import * as themeCube from './2026-12-11-0300-theme-cube';
import * as groupSetEqualityMargins from './2026-12-11-0600-group-set-equality-margins';
import * as quoteOrder from './2026-12-11-1100-quote-order';
import * as updateOfTriggers from './2026-12-12-0100-update-of-triggers';
import * as quoteOrderCoderBypass from './2026-12-12-0110-quote-order-coder-bypass';
import * as perspectiveSubmissionGroup from './2026-12-12-0300-perspective-submission-group';
import * as answerSubmissionIndex from './2026-12-12-0400-answer-submission-index';
import * as dayAggregates from './2026-12-12-0500-day-aggregates';
import * as dayCoderBypass from './2026-12-12-0600-day-coder-bypass';
import * as answerWriteIndexes from './2026-12-12-0700-answer-write-indexes';
import * as answerQuestionInclude from './2026-12-12-0800-answer-question-include';
import * as questionSetTotals from './2026-12-12-0900-question-set-totals';
import * as submissionClientId from './2026-12-13-0100-submission-client-id';
import * as aggregateFlush from './2026-12-14-0200-aggregate-flush';
import * as importAnswerFlush from './2026-12-14-0210-import-answer-flush';
import * as writerFoldPg from './2026-12-14-0300-writer-fold-pg';

/**
 * Every migration, by name. Listed statically (not read from the folder) so the
 * same list works in the Vite-built server and in the tsx command-line tools.
 */
export const migrations: Record<string, Migration> = {
	'2026-11-22-0001-core': core,
	'2026-11-22-0004-analysis-indexes': analysisIndexes,
	'2026-11-30-0010-safeguarding-reading': safeguardingReading,
	'2026-11-30-0030-audit-without-texts': auditWithoutTexts,
	'2026-11-30-0060-entry-changeover': entryChangeover,
	'2026-11-30-0130-sample-check': sampleCheck,
	'2026-11-30-0170-results-page': resultsPage,
	'2026-11-30-0171-share-link': shareLink,
	'2026-11-30-0240-data-version': dataVersion,
	'2026-11-30-0241-shared-state': sharedState,
	'2026-11-30-0270-coding-progress': codingProgress,
	'2026-11-30-0230-report-section': reportSection,
	'2026-11-30-0250-consultation-builder': consultationBuilder,
	'2026-11-30-0260-answer-language': answerLanguage,
	'2026-12-01-0220-analysis-aggregates': analysisAggregates,
	'2026-12-01-0240-answer-uncoded-index': answerUncodedIndex,
	'2026-12-01-0180-quote-wording': quoteWording,
	'2026-12-01-0300-submission-aggregates': submissionAggregates,
	'2026-12-01-0400-coding-aggregates': codingAggregates,
	'2026-12-01-0500-group-set-aggregates': groupSetAggregates,
	'2026-12-01-0800-rate-limit-unlogged': rateLimitUnlogged,
	'2026-12-02-0200-reading-aggregates': readingAggregates,
	'2026-12-02-0400-background-lease': backgroundLease,
	'2026-12-03-0200-coding-trigger-bypass': codingTriggerBypass,
	'2026-12-04-0100-answer-risk-version': answerRiskVersion,
	'2026-12-04-0200-language-aggregates': languageAggregates,
	'2026-12-05-0100-question-set-aggregates': questionSetAggregates,
	'2026-12-05-0110-question-set-equality': questionSetEquality,
	'2026-12-06-0300-quote-order-index': quoteOrderIndex,
	'2026-12-06-0400-redundant-write-indexes': redundantWriteIndexes,
	'2026-12-07-0400-unused-answer-indexes': unusedAnswerIndexes,
	'2026-12-09-0100-reclaim-pending': reclaimPending,
	'2026-12-09-0200-review-aggregates': reviewAggregates,
	'2026-12-09-0300-group-set-channel-equality': groupSetChannelEquality,
	'2026-12-09-0400-question-set-claimed': questionSetClaimed,
	'2026-12-10-0300-group-set-claimed': groupSetClaimed,
	'2026-12-10-0500-theme-moved-answers': themeMovedAnswers,
	'2026-12-11-0200-writer-aggregates': writerAggregates,
	'2026-12-11-0300-theme-cube': themeCube,
	'2026-12-11-0600-group-set-equality-margins': groupSetEqualityMargins,
	'2026-12-11-1100-quote-order': quoteOrder,
	'2026-12-12-0100-update-of-triggers': updateOfTriggers,
	'2026-12-12-0110-quote-order-coder-bypass': quoteOrderCoderBypass,
	'2026-12-12-0300-perspective-submission-group': perspectiveSubmissionGroup,
	'2026-12-12-0400-answer-submission-index': answerSubmissionIndex,
	'2026-12-12-0500-day-aggregates': dayAggregates,
	'2026-12-12-0600-day-coder-bypass': dayCoderBypass,
	'2026-12-12-0700-answer-write-indexes': answerWriteIndexes,
	'2026-12-12-0800-answer-question-include': answerQuestionInclude,
	'2026-12-12-0900-question-set-totals': questionSetTotals,
	'2026-12-13-0100-submission-client-id': submissionClientId,
	'2026-12-14-0200-aggregate-flush': aggregateFlush,
	'2026-12-14-0210-import-answer-flush': importAnswerFlush,
	'2026-12-14-0300-writer-fold-pg': writerFoldPg
};
