import type { KnowledgeEntry } from './knowledge-entry.js';

export interface ScoredEntry {
  entry: KnowledgeEntry;
  /** BM25 relevance, higher is better; comparable only within one search. */
  score: number;
}

/** Indexed knowledge in SQLite (FTS5), shared by every process and instance on the database. */
export interface KnowledgeStore {
  /** Content hash of every indexed file, by path. */
  fileHashes(): Promise<Map<string, string>>;
  /** Replaces a file's entries all at once, so searches never see half a file. */
  replaceFile(path: string, hash: string, entries: KnowledgeEntry[], at: number): Promise<void>;
  removeFile(path: string): Promise<void>;
  /** Entries of `kind` matching any of `terms` (already tokenised), best first. */
  search(terms: string[], kind: KnowledgeEntry['kind'], limit: number): Promise<ScoredEntry[]>;
  counts(): Promise<Record<KnowledgeEntry['kind'], number>>;
}
