import type { SQLiteUpdateSetSource } from 'drizzle-orm/sqlite-core';
import type { RoundCompletion } from './round-store.js';
import { nullable } from './sqlite-database.js';
import { rounds } from './schema.js';

/** What completing a round writes, column by column. */
export function completionColumns(completion: RoundCompletion) {
  const { status, answerSource, sources, answerText, answerType, lan, success, items, latencyMs, at } = completion;
  return {
    status,
    answerSource,
    sources,
    answerText,
    answerType,
    lan,
    success,
    items,
    // Absent values are written as NULL: a round answered again keeps nothing of its earlier attempt.
    ...nullable({
      error: completion.error,
      model: completion.model,
      promptTokens: completion.promptTokens,
      completionTokens: completion.completionTokens,
      totalTokens: completion.totalTokens,
      firstTokenMs: completion.firstTokenMs,
      firstByteMs: completion.firstByteMs,
      handover: completion.handover,
      peerRaw: completion.peerRaw,
    }),
    latencyMs,
    completedAt: at,
    updatedAt: at,
  } satisfies SQLiteUpdateSetSource<typeof rounds>;
}

/** Column values as the driver binds them (JSON as text, booleans as 0/1), by each column's own encoder. */
export function driverValues(columns: ReturnType<typeof completionColumns>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(columns).map(([name, value]) => [
      name,
      value === null ? null : rounds[name as keyof typeof columns].mapToDriverValue(value as never),
    ]),
  );
}
