import { readdir, readFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { KnowledgeFile } from './knowledge-entry.js';
import { knowledgeFileKind } from './parse-knowledge.js';

/**
 * `KNOWLEDGE_DIR` is not there. Not the same as an empty directory: re-indexing from nothing would empty
 * the index, and a typo, an unmounted volume or a directory moved away must not do that.
 */
export class MissingKnowledgeDirectory extends Error {
  override name = 'MissingKnowledgeDirectory';
  constructor(readonly directory: string) {
    super(`the knowledge directory ${directory} (KNOWLEDGE_DIR) does not exist; for no knowledge base, make it empty`);
  }
}

/** Every knowledge file below `directory` (recursively), paths relative to it with `/`. */
export async function readKnowledgeDirectory(directory: string): Promise<KnowledgeFile[]> {
  let names: string[];
  try {
    names = await readdir(directory, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new MissingKnowledgeDirectory(directory);
    throw error;
  }
  const files: KnowledgeFile[] = [];
  for (const name of names.sort()) {
    const path = name.split(sep).join('/');
    if (path.split('/').some((part) => part.startsWith('.')) || !knowledgeFileKind(path)) continue;
    files.push({ path, content: await readFile(join(directory, name), 'utf8') });
  }
  return files;
}
