import { readdir, readFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { KnowledgeFile } from './knowledge-entry.js';
import { knowledgeFileKind } from './parse-knowledge.js';

/** Every knowledge file below `directory` (recursively), paths relative to it with `/`. Missing → none. */
export async function readKnowledgeDirectory(directory: string): Promise<KnowledgeFile[]> {
  let names: string[];
  try {
    names = await readdir(directory, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
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
