import type Database from 'better-sqlite3';
import type { GroupedWrite } from './sqlite-database.js';

/**
 * Group commit for the embedded database (README, Performance). A SQLite commit appends every page the
 * transaction changed to the WAL, two system calls a page, and takes and drops half a dozen file locks:
 * a round's claim alone wrote seven pages. Rounds in flight together change the same pages (the newest
 * leaf of `rounds` and of each of its indexes), so the grouped writes made in one event-loop turn share
 * one transaction, committed when the turn's I/O callbacks are done (`setImmediate`), each page once.
 *
 * A grouped write's promise settles only once that commit has: nothing acts on a write that might yet
 * be lost. Any other write commits the open group first and then runs on its own, exactly as it would
 * have without groups, so code that does not group its writes keeps its meaning.
 */
export interface GroupCommit {
  write: GroupedWrite;
  /** Commits the open group now: before a transaction of another kind, and before closing. */
  settle(): void;
}

interface Group {
  committed: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

export function createGroupCommit(sqlite: Database.Database): GroupCommit {
  const begin = sqlite.prepare('BEGIN IMMEDIATE');
  const commit = sqlite.prepare('COMMIT');
  const rollback = sqlite.prepare('ROLLBACK');
  // Whether a grouped write has run in this turn; the group its later writes share.
  let turnStarted = false;
  let open: Group | undefined;
  let grouping = false;

  const endTurn = () => {
    turnStarted = false;
    settle();
  };

  const openGroup = (): Group => {
    begin.run();
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const committed = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
    // Every writer awaits `committed`; this only keeps a group whose writers all failed from going unhandled.
    committed.catch(() => {});
    return { committed, resolve, reject };
  };

  const fail = (group: Group, error: unknown) => {
    open = undefined;
    try {
      if (sqlite.inTransaction) rollback.run();
    } catch {
      // Its writers hear of the first error below; this one runs from a timer, where a throw would end the process.
    }
    group.reject(error);
  };

  function settle() {
    const group = open;
    if (!group) return;
    try {
      commit.run();
      open = undefined;
      group.resolve();
    } catch (error) {
      fail(group, error);
    }
  }

  guardUngroupedWrites(sqlite, () => {
    if (open && !grouping) settle();
  });

  return {
    async write<T>(run: () => T): Promise<Awaited<T>> {
      if (!sqlite.open) throw new TypeError('The database connection is not open');
      if (!turnStarted) {
        // The turn's first write commits on its own, at once: a round with none other in flight (the
        // latency a visitor sees when the service is quiet) waits for nothing and pays no BEGIN/COMMIT.
        turnStarted = true;
        setImmediate(endTurn);
        return await run();
      }
      const group = (open ??= openGroup());
      let result: T;
      grouping = true;
      try {
        result = run();
      } catch (error) {
        // A constraint error undoes its own statement only; anything else (a full disk, an I/O error) may
        // have undone the whole transaction, the other writers' statements with it.
        if (!isConstraintError(error) || !sqlite.inTransaction) fail(group, error);
        throw error;
      } finally {
        grouping = false;
      }
      await group.committed;
      return await result;
    },
    settle,
  };
}

/** Has `beforeWrite` run before every statement that writes, except those prepared before this call. */
function guardUngroupedWrites(sqlite: Database.Database, beforeWrite: () => void) {
  const prepare = sqlite.prepare.bind(sqlite);
  // drizzle prepares every statement through here, those of prepared queries once, built queries each run.
  sqlite.prepare = ((source: string) => {
    const statement = prepare(source);
    if (statement.readonly) return statement;
    for (const method of ['run', 'get', 'all', 'iterate'] as const) {
      const execute = statement[method] as (...parameters: unknown[]) => unknown;
      Object.defineProperty(statement, method, {
        value: (...parameters: unknown[]) => {
          beforeWrite();
          return execute.apply(statement, parameters);
        },
      });
    }
    return statement;
  }) as typeof sqlite.prepare;
}

/** drizzle wraps the driver's error (a `SqliteError` with its code) in one of its own, as `cause`. */
function isConstraintError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if ('code' in error && String(error.code).startsWith('SQLITE_CONSTRAINT')) return true;
  return isConstraintError(error.cause);
}
