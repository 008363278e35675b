import { share } from '../knowledge/knowledge-search.js';
import { tokenize } from '../knowledge/tokenize.js';
import type { BatchCase } from './batch-cases.js';

export interface ScoredAnswer {
  answer: string;
  answerType: string | null;
  success: boolean | null;
}

/** How much of the expected answer's wording an answer must contain to count as the same answer. */
const EXPECTED_ANSWER_OVERLAP = 0.6;

/**
 * Why an answer misses its case's expectations (empty when it meets them). With no expectations a case passes
 * when the agent says it answered (`success`), as Sobot's own batch test counts it.
 */
export function scoreAnswer(testCase: BatchCase, answer: ScoredAnswer): string[] {
  const failures: string[] = [];
  const hasExpectations = Boolean(testCase.expectedAnswer || testCase.keywords || testCase.expectedAnswerType);
  if (!hasExpectations && answer.success !== true) failures.push('not answered (success false)');
  if (testCase.expectedAnswerType && answer.answerType?.toUpperCase() !== testCase.expectedAnswerType) {
    failures.push(`answer_type ${answer.answerType ?? 'none'}, expected ${testCase.expectedAnswerType}`);
  }
  if (testCase.keywords) {
    const text = normalise(answer.answer);
    const missing = testCase.keywords.filter((keyword) => !text.includes(normalise(keyword)));
    if (missing.length) failures.push(`missing keywords: ${missing.join(', ')}`);
  }
  if (testCase.expectedAnswer) {
    const overlap = termOverlap(testCase.expectedAnswer, answer.answer);
    if (overlap < EXPECTED_ANSWER_OVERLAP) {
      failures.push(
        `answer shares ${Math.round(overlap * 100)}% of the expected answer's terms (needs ${EXPECTED_ANSWER_OVERLAP * 100}%)`,
      );
    }
  }
  return failures;
}

/** The share of the expected answer's distinct terms (stemmed words, Han bigrams) found in the answer. */
function termOverlap(expected: string, answer: string): number {
  const expectedTerms = new Set(tokenize(expected));
  return expectedTerms.size === 0 ? 1 : share(expectedTerms, new Set(tokenize(answer)));
}

function normalise(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ');
}
