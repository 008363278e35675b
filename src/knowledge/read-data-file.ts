import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import type { KnowledgeFile } from './knowledge-entry.js';

export class KnowledgeFileError extends Error {
  override name = 'KnowledgeFileError';
}

/**
 * Reads a YAML or JSON knowledge file against its schema, naming the file and the item (`entry 3.answer`,
 * `group 2`) of the first mistake. An empty file is an empty list, not a mistake.
 */
export function readDataFile<T extends z.ZodType>(file: KnowledgeFile, schema: T, item: string): z.output<T> | [] {
  let data: unknown;
  try {
    data = file.path.endsWith('.json') ? JSON.parse(file.content) : parseYaml(file.content);
  } catch (error) {
    throw new KnowledgeFileError(`${file.path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (data === null || data === undefined) return [];
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length > 0 ? ` (${item} ${issue.path.join('.')})` : '';
  throw new KnowledgeFileError(`${file.path}${where}: ${issue.message}`);
}
