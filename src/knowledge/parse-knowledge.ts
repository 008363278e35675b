import { parseFaqFile } from './faq-file.js';
import type { KnowledgeEntry, KnowledgeFile } from './knowledge-entry.js';
import { splitDocument } from './split-document.js';

export type KnowledgeFileKind = 'faq' | 'document';

/** `.yaml`/`.yml`/`.json` are FAQ files, `.md`/`.markdown`/`.txt` documents; anything else is not knowledge. */
export function knowledgeFileKind(path: string): KnowledgeFileKind | undefined {
  if (/\.(ya?ml|json)$/i.test(path)) return 'faq';
  if (/\.(md|markdown|txt)$/i.test(path) && !/(^|\/)readme\.md$/i.test(path)) return 'document';
  return undefined;
}

export function parseKnowledgeFile(file: KnowledgeFile): KnowledgeEntry[] {
  return knowledgeFileKind(file.path) === 'faq' ? parseFaqFile(file) : splitDocument(file);
}
