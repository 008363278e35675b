import { parseFaqFile } from './faq-file.js';
import type { KnowledgeEntry, KnowledgeFile } from './knowledge-entry.js';
import { splitDocument } from './split-document.js';
import { isSynonymsFile, parseSynonymsFile, type SynonymGroup } from './synonyms.js';

export type KnowledgeFileKind = 'faq' | 'document' | 'synonyms';

export interface ParsedKnowledgeFile {
  entries: KnowledgeEntry[];
  synonyms: SynonymGroup[];
}

/**
 * `synonyms.yaml` (or .yml/.json) holds synonym groups; other `.yaml`/`.yml`/`.json` files are FAQ
 * files, `.md`/`.markdown`/`.txt` documents (a README.md excepted); anything else is not knowledge.
 */
export function knowledgeFileKind(path: string): KnowledgeFileKind | undefined {
  if (isSynonymsFile(path)) return 'synonyms';
  if (/\.(ya?ml|json)$/i.test(path)) return 'faq';
  if (/\.(md|markdown|txt)$/i.test(path) && !/(^|\/)readme\.md$/i.test(path)) return 'document';
  return undefined;
}

export function parseKnowledgeFile(file: KnowledgeFile): ParsedKnowledgeFile {
  switch (knowledgeFileKind(file.path)) {
    case 'synonyms':
      return { entries: [], synonyms: parseSynonymsFile(file) };
    case 'faq':
      return { entries: parseFaqFile(file), synonyms: [] };
    default:
      return { entries: splitDocument(file), synonyms: [] };
  }
}
