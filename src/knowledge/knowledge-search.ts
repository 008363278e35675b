import type { KnowledgeEntry } from './knowledge-entry.js';
import type { KnowledgeStore } from './knowledge-store.js';
import { expandWithSynonyms } from './synonyms.js';
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
  const context = await store.searchContext();
  const faqLimit = context.entries.faq > 0 ? limits.faq : 0;
  const passageLimit = context.entries.passage > 0 ? limits.passages : 0;
  // Nothing to search (an empty knowledge base): not even the question is taken apart.
  if (faqLimit === 0 && passageLimit === 0) return { faq: [], passages: [] };
  const asked = new Set(tokenize(query));
  if (asked.size === 0) return { faq: [], passages: [] };
  const terms = tokenize(expandWithSynonyms(query, context.synonyms));
  // Synonyms count as matches, but the question's own length sets the scale, so expansion never dilutes.
  const expanded = new Set(terms);
  const [faq, passages] = await Promise.all([
    faqLimit > 0 ? store.search(terms, 'faq', faqLimit) : [],
    passageLimit > 0 ? store.search(terms, 'passage', passageLimit) : [],
  ]);
  return {
    faq: faq.map((hit) => ({
      ...hit,
      confidence: Math.max(
        ...[hit.entry.title, ...hit.entry.similar].map((question) => dice(expanded, asked.size, question)),
      ),
    })),
    passages: passages.map((hit) => ({
      ...hit,
      confidence: Math.min(1, intersection(expanded, new Set(hit.terms)) / asked.size),
    })),
  };
}

/** Dice overlap of a question with the visitor's terms (synonyms included), scaled by what was asked. */
function dice(expanded: Set<string>, askedSize: number, question: string): number {
  const questionTerms = new Set(tokenize(question));
  if (questionTerms.size === 0) return 0;
  return Math.min(1, (2 * intersection(expanded, questionTerms)) / (askedSize + questionTerms.size));
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
