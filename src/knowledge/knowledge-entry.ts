import { z } from 'zod';
import { knowledgeKinds, type KnowledgeKind } from '../store/schema.js';

/** One searchable unit: an FAQ entry, or a passage of a document. */
export interface KnowledgeEntry {
  /** Stable across re-indexing: the FAQ's own id, or `path#position` for a passage. */
  id: string;
  kind: KnowledgeKind;
  /** The file it came from, relative to the knowledge directory. */
  source: string;
  /** The FAQ question, or the passage's heading path ("Returns policy › Refunds"). */
  title: string;
  /** FAQ similar questions; empty for passages. */
  similar: string[];
  /** The FAQ answer, or the passage text. */
  body: string;
}

/** What a round records about the knowledge it used (rounds.sources, read back by the admin console). */
export const knowledgeRefSchema = z.object({
  id: z.string(),
  kind: z.enum(knowledgeKinds),
  source: z.string(),
  title: z.string(),
  score: z.number(),
});
export type KnowledgeRef = z.output<typeof knowledgeRefSchema>;

export interface KnowledgeFile {
  /** Relative to the knowledge directory, with forward slashes. */
  path: string;
  content: string;
}
