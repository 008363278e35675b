import type { KnowledgeEntry } from './knowledge-entry.js';
import type { KnowledgeStore } from './knowledge-store.js';
import { tokenize } from './tokenize.js';

export interface KnowledgeHit {
  entry: KnowledgeEntry;
  /** BM25: orders the candidates of one search. */
  score: number;
  /**
   * 0–1, comparable across searches, so thresholds can be set on it. FAQ: how closely the query
   * matches the entry's question or one of its similar questions (Dice overlap of their terms).
   * Passage: the share of the query's terms the passage contains.
   */
  confidence: number;
}

export interface KnowledgeMatches {
  faq: KnowledgeHit[];
  passages: KnowledgeHit[];
}

export async function searchKnowledge(
  store: KnowledgeStore,
  query: string,
  limits: { faq: number; passages: number },
): Promise<KnowledgeMatches> {
  const terms = tokenize(query);
  const queryTerms = new Set(terms);
  if (queryTerms.size === 0) return { faq: [], passages: [] };
  const [faq, passages] = await Promise.all([
    limits.faq > 0 ? store.search(terms, 'faq', limits.faq) : [],
    limits.passages > 0 ? store.search(terms, 'passage', limits.passages) : [],
  ]);
  return {
    faq: faq.map((hit) => ({
      ...hit,
      confidence: Math.max(...[hit.entry.title, ...hit.entry.similar].map((question) => dice(queryTerms, question))),
    })),
    passages: passages.map((hit) => ({
      ...hit,
      confidence: share(queryTerms, new Set(tokenize(`${hit.entry.title}\n${hit.entry.body}`))),
    })),
  };
}

function dice(queryTerms: Set<string>, question: string): number {
  const questionTerms = new Set(tokenize(question));
  if (questionTerms.size === 0) return 0;
  return (2 * intersection(queryTerms, questionTerms)) / (queryTerms.size + questionTerms.size);
}

/** The share of `part`'s terms that `whole` contains. */
export function share(part: Set<string>, whole: Set<string>): number {
  return part.size === 0 ? 0 : intersection(part, whole) / part.size;
}

function intersection(a: Set<string>, b: Set<string>): number {
  let count = 0;
  for (const term of a) if (b.has(term)) count++;
  return count;
}
