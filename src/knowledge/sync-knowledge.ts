import type { Clock } from '../runtime/clock.js';
import type { Logger } from '../runtime/logger.js';
import { KnowledgeFileError } from './faq-file.js';
import type { KnowledgeEntry, KnowledgeFile } from './knowledge-entry.js';
import type { KnowledgeStore } from './knowledge-store.js';
import { parseKnowledgeFile } from './parse-knowledge.js';

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
  const idOwners = new Map<string, string>();

  for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    const hash = await contentHash(file.content);
    try {
      const entries = parseKnowledgeFile(file);
      claimIds(entries, file.path, idOwners);
      if (known.get(file.path) === hash) {
        report.unchanged++;
        continue;
      }
      await store.replaceFile(file.path, hash, entries, effects.clock.now());
      report.indexed.push(file.path);
    } catch (error) {
      if (!(error instanceof KnowledgeFileError)) throw error;
      report.errors.push({ path: file.path, error: error.message });
    }
  }
  const present = new Set(files.map((file) => file.path));
  for (const path of known.keys()) {
    if (present.has(path)) continue;
    await store.removeFile(path);
    report.removed.push(path);
  }
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

/** Ids must be unique across all files; the file that repeats one is the one reported. */
function claimIds(entries: KnowledgeEntry[], path: string, owners: Map<string, string>) {
  for (const entry of entries) {
    const owner = owners.get(entry.id);
    if (owner !== undefined) {
      throw new KnowledgeFileError(`${path}: id "${entry.id}" is already used in ${owner}`);
    }
  }
  for (const entry of entries) owners.set(entry.id, path);
}

async function contentHash(content: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(content));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
