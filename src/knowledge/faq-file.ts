import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { KnowledgeEntry, KnowledgeFile } from './knowledge-entry.js';

const text = () =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be text') })
    .trim()
    .min(1, { error: 'must not be empty' });

/** One FAQ entry as customers write it in YAML or JSON. */
export const faqEntrySchema = z.object({
  id: text().regex(/^[^\s#]+$/, { error: 'must not contain spaces or #' }),
  question: text(),
  similar: z.array(text(), { error: 'must be a list of questions' }).default([]),
  answer: text(),
});

export const faqFileSchema = z.array(faqEntrySchema, { error: 'an FAQ file is a list of entries' });

export class KnowledgeFileError extends Error {
  override name = 'KnowledgeFileError';
}

/** Reads an FAQ file (`.yaml`, `.yml` or `.json`), naming the file and entry of any mistake. */
export function parseFaqFile(file: KnowledgeFile): KnowledgeEntry[] {
  let data: unknown;
  try {
    data = file.path.endsWith('.json') ? JSON.parse(file.content) : parseYaml(file.content);
  } catch (error) {
    throw new KnowledgeFileError(`${file.path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  // An empty file is an empty FAQ, not a mistake.
  if (data === null || data === undefined) return [];
  const parsed = faqFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? ` (entry ${issue.path.join('.')})` : '';
    throw new KnowledgeFileError(`${file.path}${where}: ${issue.message}`);
  }
  return parsed.data.map((entry) => ({
    id: entry.id,
    kind: 'faq',
    source: file.path,
    title: entry.question,
    similar: entry.similar,
    body: entry.answer,
  }));
}
