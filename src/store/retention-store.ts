/**
 * The tables retention deletes from, in the order it works through them: a table's rows can only go once those
 * of the tables before it that point at them are gone. Named as in logs and in the metric's `table` label.
 */
export const prunedTables = ['callbacks', 'rounds', 'conversations', 'workflow_sessions', 'peer_sessions'] as const;
export type PrunedTable = (typeof prunedTables)[number];

export type PrunedRows = Record<PrunedTable, number>;

export interface PruneCutoff {
  /** Rows last written before this (Unix ms) are past retention. */
  before: number;
  /** Workflow sessions that expired by this are deleted. */
  now: number;
}

/**
 * Deletes rows past retention, a batch at a time. Each delete is one statement that leaves the database
 * consistent by itself (D1 has no interactive transactions): a round goes only once it has no callback
 * left, a conversation only once it has no round left, and a pending callback never goes.
 */
export interface RetentionStore {
  /** Deletes at most `limit` rows of `table` past `cutoff`; how many it deleted. */
  prune(table: PrunedTable, cutoff: PruneCutoff, limit: number): Promise<number>;
}
