import type { Clock } from '../runtime/clock.js';
import type { Logger } from '../runtime/logger.js';
import { KnowledgeFileError } from './read-data-file.js';
import type { KnowledgeEntry, KnowledgeFile } from './knowledge-entry.js';
import type { KnowledgeStore } from './knowledge-store.js';
import { parseKnowledgeFile, type ParsedKnowledgeFile } from './parse-knowledge.js';

export interface SyncReport {
  indexed: string[];
  removed: string[];
  unchanged: number;
  /** Files left as they were last indexed (or not indexed), with the reason. */
  errors: Array<{ path: string; error: string }>;
  counts: Record<KnowledgeEntry['kind'], number>;
}

/**
 * Brings the index in line with the files: new and changed files are (re)indexed, files that are gone
 * are dropped, unchanged ones are left alone. A file with a mistake keeps its previous entries and is
 * reported, so one typo never empties the knowledge base.
 */
export async function syncKnowledge(
  files: KnowledgeFile[],
  store: KnowledgeStore,
  effects: { clock: Clock; logger: Logger },
): Promise<SyncReport> {
  const known = await store.fileHashes();
  const report: SyncReport = { indexed: [], removed: [], unchanged: 0, errors: [], counts: { faq: 0, passage: 0 } };
  const parsed: Array<{ path: string; hash: string; content: ParsedKnowledgeFile }> = [];
  const failed = new Set<string>();
  for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    try {
      parsed.push({ path: file.path, hash: await contentHash(file.content), content: parseKnowledgeFile(file) });
    } catch (error) {
      if (!(error instanceof KnowledgeFileError)) throw error;
      report.errors.push({ path: file.path, error: error.message });
      failed.add(file.path);
    }
  }

  // Ids are unique across files. A file left as it was keeps its last good entries, so their ids stay taken.
  const owners = new Map<string, string>();
  const keepLastGood = async (path: string) => {
    if (!known.has(path)) return;
    for (const id of await store.entryIds(path)) owners.set(id, `${path} (its last good version)`);
  };
  for (const path of failed) await keepLastGood(path);
  const replaced = [];
  for (const file of parsed) {
    const taken = file.content.entries.find((entry) => owners.has(entry.id));
    if (taken) {
      report.errors.push({
        path: file.path,
        error: `${file.path}: id "${taken.id}" is already used in ${owners.get(taken.id)}`,
      });
      await keepLastGood(file.path);
      continue;
    }
    for (const entry of file.content.entries) owners.set(entry.id, file.path);
    if (known.get(file.path) === file.hash) report.unchanged++;
    else replaced.push(file);
  }
  const present = new Set(files.map((file) => file.path));
  const removed = [...known.keys()].filter((path) => !present.has(path));
  await store.apply({ replaced, removed }, effects.clock.now());
  report.indexed = replaced.map((file) => file.path);
  report.removed = removed;
  report.counts = await store.counts();

  const { logger } = effects;
  for (const { error } of report.errors) logger.error('knowledge file not indexed', { error });
  if (report.indexed.length > 0 || report.removed.length > 0) {
    logger.info('knowledge indexed', {
      indexed: report.indexed,
      removed: report.removed,
      unchanged: report.unchanged,
      ...report.counts,
    });
  }
  return report;
}

async function contentHash(content: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(content));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
