import type { KnowledgeEntry } from './knowledge-entry.js';
import type { ParsedKnowledgeFile } from './parse-knowledge.js';
import type { SynonymGroup } from './synonyms.js';

export interface ScoredEntry {
  entry: KnowledgeEntry;
  /** BM25 relevance, higher is better; comparable only within one search. */
  score: number;
  /** The entry's stored search terms (title and body), so a search need not tokenise it again. */
  terms: string[];
}

/** What every search starts from. */
export interface SearchContext {
  synonyms: SynonymGroup[];
  /** Entries indexed, by kind: a kind with none is not searched at all. */
  entries: Record<KnowledgeEntry['kind'], number>;
}

export interface KnowledgeChanges {
  replaced: Array<{ path: string; hash: string; content: ParsedKnowledgeFile }>;
  removed: string[];
}

/** Indexed knowledge in SQLite (FTS5), shared by every process and instance on the database. */
export interface KnowledgeStore {
  /** Content hash of every indexed file, by path. */
  fileHashes(): Promise<Map<string, string>>;
  /**
   * Applies a whole re-index at once: files replaced (entries and synonyms) and files removed. Searches
   * never see half of it, and an id may move from one file to another in the same edit.
   */
  apply(changes: KnowledgeChanges, at: number): Promise<void>;
  /** Ids of the entries indexed from `path`. */
  entryIds(path: string): Promise<string[]>;
  /** Entries of `kind` matching any of `terms` (already tokenised), best first. */
  search(terms: string[], kind: KnowledgeEntry['kind'], limit: number): Promise<ScoredEntry[]>;
  /** Synonyms and entry counts, kept until the index changes (another process may re-index it). */
  searchContext(): Promise<SearchContext>;
  counts(): Promise<Record<KnowledgeEntry['kind'], number>>;
}
