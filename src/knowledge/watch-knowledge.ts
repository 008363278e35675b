import { statSync, watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Logger } from '../runtime/logger.js';

// Editors save in bursts (temp file, rename, chmod); one re-index after the burst is enough.
const SETTLE_MS = 300;
// fs.watch follows the directory it opened, not its name: a directory swapped in by rename (as deploy tools
// do), mounted late or created after start would go unseen. A stat of the name now and then notices.
const RECHECK_MS = 5000;

/**
 * Calls `onChange` once a burst of changes below `directory` settles, and when the name comes to mean
 * another directory (or one appears where there was none). Returns a stop function.
 */
export function watchKnowledge(
  directory: string,
  onChange: () => void,
  logger: Logger,
  recheckMs = RECHECK_MS,
): () => void {
  let watcher: FSWatcher | undefined;
  let watched: string | undefined;
  let settle: ReturnType<typeof setTimeout> | undefined;
  const changed = () => {
    clearTimeout(settle);
    settle = setTimeout(onChange, SETTLE_MS);
  };
  /** Watches the directory the name means now, `now` (undefined: none to watch). */
  const open = (now: string | undefined) => {
    watcher?.close();
    watcher = undefined;
    watched = now;
    if (watched === undefined) return;
    try {
      watcher = watch(directory, { recursive: true });
    } catch (error) {
      logger.warn('not watching the knowledge directory; re-index with `npm run knowledge -- reindex`', {
        directory,
        error: error instanceof Error ? error.message : String(error),
      });
      return;
    }
    watcher.on('change', changed);
    watcher.on('error', (error) => logger.warn('knowledge watcher failed', { directory, error: error.message }));
    watcher.unref();
  };
  open(identity(directory));
  // Off the event loop, one at a time: a stat on a mount that stopped answering must not stall the rounds.
  let checking = false;
  const recheck = setInterval(() => {
    if (checking) return;
    checking = true;
    void currentIdentity(directory)
      .then((now) => {
        if (now === watched) return;
        logger.info('knowledge directory replaced, appeared or gone: watching anew', { directory });
        open(now);
        changed();
      })
      .finally(() => (checking = false));
  }, recheckMs);
  recheck.unref();
  return () => {
    clearTimeout(settle);
    clearInterval(recheck);
    watcher?.close();
  };
}

/** Which directory the name means now (device and inode), or undefined when it means none. */
function identity(directory: string): string | undefined {
  try {
    return identityOf(statSync(directory));
  } catch {
    return undefined;
  }
}

async function currentIdentity(directory: string): Promise<string | undefined> {
  return stat(directory).then(identityOf, () => undefined);
}

const identityOf = (stats: { isDirectory(): boolean; dev: number; ino: number }) =>
  stats.isDirectory() ? `${stats.dev}:${stats.ino}` : undefined;
