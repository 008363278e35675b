import type { Clock } from '../runtime/clock.js';
import { errorFields, type Logger } from '../runtime/logger.js';
import type { KnowledgeStore } from './knowledge-store.js';
import { MissingKnowledgeDirectory, readKnowledgeDirectory } from './read-knowledge-directory.js';
import { syncKnowledge, type SyncReport } from './sync-knowledge.js';
import { watchKnowledge } from './watch-knowledge.js';

export interface NodeKnowledgeOptions {
  directory: string;
  watch: boolean;
  /** How often the directory's name is checked for a swapped-in directory (tests shorten it). */
  recheckMs?: number | undefined;
  clock: Clock;
  logger: Logger;
}

/**
 * The knowledge base on Node: indexed from its directory at start and, when watched, on every change.
 * A directory that is not there leaves the index as it was (another process may share it, and a typo or
 * an unmounted volume must not empty it); `reindex` reports it as an error instead.
 */
export async function startNodeKnowledge(store: KnowledgeStore, options: NodeKnowledgeOptions) {
  const { directory, clock, logger } = options;
  const reindex = async (): Promise<SyncReport> =>
    syncKnowledge(await readKnowledgeDirectory(directory), store, { clock, logger });
  const refresh = async () => {
    try {
      return await reindex();
    } catch (error) {
      if (!(error instanceof MissingKnowledgeDirectory)) throw error;
      logger.warn('knowledge directory missing: the knowledge index is left as it was', {
        directory,
        ...(await store.counts()),
      });
      return undefined;
    }
  };
  const indexed = await refresh();
  if (indexed) logger.info('knowledge ready', { directory, ...indexed.counts, errors: indexed.errors.length });
  const stop = options.watch
    ? watchKnowledge(
        directory,
        () => void refresh().catch((error: unknown) => logger.error('knowledge re-index failed', errorFields(error))),
        logger,
        options.recheckMs,
      )
    : () => {};
  return { reindex, stop };
}
