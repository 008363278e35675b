import { z } from 'zod';
import type { KnowledgeFile } from './knowledge-entry.js';
import { oncePerObject } from '../util/once-per-object.js';
import { phraseMatcher } from '../util/phrase-matcher.js';
import { readDataFile } from './read-data-file.js';

/** A synonyms file: a list of groups, each a list of phrases that mean the same to a visitor. */
const synonymsFileSchema = z.array(
  z.array(z.string().trim().min(1)).min(2, { error: 'a group needs two or more phrases' }),
  {
    error: 'a synonyms file is a list of groups, each a list of phrases',
  },
);

export type SynonymGroup = string[];

export function isSynonymsFile(path: string): boolean {
  return /(^|\/)synonyms\.(ya?ml|json)$/i.test(path);
}

export function parseSynonymsFile(file: KnowledgeFile): SynonymGroup[] {
  return readDataFile(file, synonymsFileSchema, 'group');
}

/**
 * Appends to a question the other phrases of every synonym group it uses, so "voucher" also searches
 * for "gift card". Latin phrases match whole words, Han phrases anywhere (Chinese has no spaces).
 */
export function expandWithSynonyms(query: string, groups: SynonymGroup[]): string {
  const text = query.normalize('NFKC').toLowerCase();
  const additions: string[] = [];
  for (const group of compiled(groups)) {
    if (group.some((phrase) => phrase.test(text))) {
      additions.push(...group.filter((phrase) => !phrase.test(text)).map((phrase) => phrase.text));
    }
  }
  return additions.length > 0 ? `${query}\n${additions.join('\n')}` : query;
}

interface PhraseMatcher {
  text: string;
  test(text: string): boolean;
}

// Compiled once per list of groups the store hands out (it keeps the same list until the files change).
const compiled = oncePerObject((groups: SynonymGroup[]): PhraseMatcher[][] =>
  groups.map((group) => group.map(matcher)),
);

function matcher(phrase: string): PhraseMatcher {
  const text = phrase.normalize('NFKC').toLowerCase();
  return { text, test: phraseMatcher(text) };
}
