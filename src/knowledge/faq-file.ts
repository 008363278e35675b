import { z } from 'zod';
import type { KnowledgeEntry, KnowledgeFile } from './knowledge-entry.js';
import { readDataFile } from './read-data-file.js';

const text = () =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be text') })
    .trim()
    .min(1, { error: 'must not be empty' });

/** One FAQ entry as customers write it in YAML or JSON. */
const faqEntrySchema = z.object({
  id: text().regex(/^[^\s#]+$/, { error: 'must not contain spaces or #' }),
  question: text(),
  similar: z.array(text(), { error: 'must be a list of questions' }).default([]),
  answer: text(),
});

const faqFileSchema = z.array(faqEntrySchema, { error: 'an FAQ file is a list of entries' });

/** Reads an FAQ file (`.yaml`, `.yml` or `.json`), naming the file and entry of any mistake. */
export function parseFaqFile(file: KnowledgeFile): KnowledgeEntry[] {
  return readDataFile(file, faqFileSchema, 'entry').map((entry) => ({
    id: entry.id,
    kind: 'faq',
    source: file.path,
    title: entry.question,
    similar: entry.similar,
    body: entry.answer,
  }));
}
