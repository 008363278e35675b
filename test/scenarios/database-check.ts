import Database from 'better-sqlite3';
import { thirdAlgorithmResponseItemSchema } from '../../src/sobot/schemas/response.js';

export interface DatabaseReport {
  /** `PRAGMA integrity_check`: "ok" for a sound file. */
  integrity: string;
  rounds: number;
  roundsByStatus: Record<string, number>;
  callbacksByStatus: Record<string, number>;
  /** Rows that do not read back as what they claim to be, each described. */
  corrupt: string[];
}

/**
 * Reads a bridge's database file as an operator would after a crash: SQLite's own check, then every
 * round and callback row. A finished round has a completion time and items that parse as items; a
 * running one has neither; a callback's payload is JSON, and a delivered one says when.
 */
export function inspectDatabase(path: string): DatabaseReport {
  const sqlite = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const integrity = (sqlite.pragma('integrity_check') as Array<{ integrity_check: string }>)
      .map((row) => row.integrity_check)
      .join('; ');
    const corrupt: string[] = [];
    const roundsByStatus: Record<string, number> = {};
    const rounds = sqlite
      .prepare('select id, roundid, status, items, sources, completed_at from rounds')
      .all() as Array<{
      id: number;
      roundid: string;
      status: string;
      items: string | null;
      sources: string | null;
      completed_at: number | null;
    }>;
    for (const row of rounds) {
      roundsByStatus[row.status] = (roundsByStatus[row.status] ?? 0) + 1;
      const running = row.status === 'running';
      const problem = (what: string) => corrupt.push(`round ${row.id} (${row.roundid}, ${row.status}): ${what}`);
      if (running !== (row.completed_at === null)) problem('status and completed_at disagree');
      if (running) {
        if (row.items !== null) problem('running, yet has items');
        continue;
      }
      const items = parseJson(row.items);
      if (!Array.isArray(items) || items.length === 0) problem('items are not a list of items');
      else if (!items.every((item) => thirdAlgorithmResponseItemSchema.safeParse(item).success)) {
        problem('an item does not parse');
      }
      if (row.sources !== null && !Array.isArray(parseJson(row.sources))) problem('sources are not JSON');
    }
    const callbacksByStatus: Record<string, number> = {};
    const callbacks = sqlite.prepare('select id, status, payload, delivered_at from callbacks').all() as Array<{
      id: number;
      status: string;
      payload: string;
      delivered_at: number | null;
    }>;
    for (const row of callbacks) {
      callbacksByStatus[row.status] = (callbacksByStatus[row.status] ?? 0) + 1;
      if (parseJson(row.payload) === undefined) corrupt.push(`callback ${row.id}: payload is not JSON`);
      if ((row.status === 'delivered') !== (row.delivered_at !== null)) {
        corrupt.push(`callback ${row.id}: status and delivered_at disagree`);
      }
    }
    return { integrity, rounds: rounds.length, roundsByStatus, callbacksByStatus, corrupt };
  } finally {
    sqlite.close();
  }
}

function parseJson(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Every callback row, for progress checks while a scenario waits. */
export function callbackRows(path: string): Array<{ roundid: string; kind: string; status: string; attempts: number }> {
  const sqlite = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return sqlite.prepare('select roundid, kind, status, attempts from callbacks').all() as Array<{
      roundid: string;
      kind: string;
      status: string;
      attempts: number;
    }>;
  } finally {
    sqlite.close();
  }
}
