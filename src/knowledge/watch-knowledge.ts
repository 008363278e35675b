import { watch, type FSWatcher } from 'node:fs';
import type { Logger } from '../runtime/logger.js';

// Editors save in bursts (temp file, rename, chmod); one re-index after the burst is enough.
const SETTLE_MS = 300;

/** Calls `onChange` once a burst of changes below `directory` settles. Returns a stop function. */
export function watchKnowledge(directory: string, onChange: () => void, logger: Logger): () => void {
  let watcher: FSWatcher;
  try {
    watcher = watch(directory, { recursive: true });
  } catch (error) {
    logger.warn('not watching the knowledge directory; re-index with `npm run knowledge -- reindex`', {
      directory,
      error: error instanceof Error ? error.message : String(error),
    });
    return () => {};
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  watcher.on('change', () => {
    clearTimeout(timer);
    timer = setTimeout(onChange, SETTLE_MS);
  });
  watcher.on('error', (error) => logger.warn('knowledge watcher failed', { directory, error: error.message }));
  watcher.unref();
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
