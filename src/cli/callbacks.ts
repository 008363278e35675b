import type { StoredCallback } from '../store/callback-store.js';
import { createDrizzleCallbackStore } from '../store/drizzle-callback-store.js';
import { callbackStatuses, type CallbackStatus } from '../store/schema.js';
import { runCli } from './run-cli.js';

const USAGE = `Operate the callback outbox of the database at DATABASE_PATH.

Usage: npm run callbacks -- <command> [options]

Commands:
  list [--status pending|delivered|dead] [--limit N] [--json]
                    callbacks, newest first (default: the 20 newest of any status)
  retry <id>        queue one pending or dead callback again, due now, with a fresh attempt count
  retry-dead        queue every dead callback again

A running service picks requeued callbacks up within CALLBACK_POLL_INTERVAL_MS.`;

await runCli(
  USAGE,
  { status: { type: 'string' }, limit: { type: 'string', default: '20' }, json: { type: 'boolean', default: false } },
  async ({ command, args, values, database, usageError }) => {
    const store = createDrizzleCallbackStore(database.db);
    switch (command) {
      case 'list': {
        const status = values.status;
        if (status !== undefined && !callbackStatuses.includes(status as CallbackStatus)) {
          return usageError(`--status must be one of ${callbackStatuses.join(', ')}`);
        }
        const limit = Number(values.limit);
        if (!Number.isInteger(limit) || limit < 1) return usageError('--limit must be a positive whole number');
        const rows = await store.list({ status: status as CallbackStatus | undefined, limit });
        const counts = await store.counts();
        if (values.json) console.log(JSON.stringify({ counts, callbacks: rows }, null, 2));
        else printTable(rows, counts);
        return 0;
      }
      case 'retry': {
        const id = Number(args[0]);
        if (!Number.isInteger(id)) return usageError('retry needs a callback id, e.g. `retry 42`');
        if (!(await store.requeue(id, Date.now()))) {
          console.error(
            `callback ${id} was not requeued: no such callback, it was already delivered, or a delivery attempt holds it (see list)`,
          );
          return 1;
        }
        console.log(`callback ${id} queued again`);
        return 0;
      }
      case 'retry-dead': {
        const count = await store.requeueDead(Date.now());
        console.log(`${count} dead callback${count === 1 ? '' : 's'} queued again`);
        return 0;
      }
      default:
        return usageError(`unknown command "${command}"`);
    }
  },
);

function printTable(rows: StoredCallback[], counts: Record<CallbackStatus, number>) {
  console.log(callbackStatuses.map((status) => `${status}: ${counts[status]}`).join('   '));
  if (rows.length === 0) return;
  const table = rows.map((row) => ({
    id: String(row.id),
    kind: row.kind,
    status: row.status,
    attempts: String(row.attempts),
    round: `${row.cid}/${row.roundid}`,
    when: new Date(row.status === 'pending' ? row.nextAttemptAt : row.updatedAt).toISOString(),
    'last error': (row.lastError ?? '').slice(0, 80),
  }));
  const columns = Object.keys(table[0]!) as Array<keyof (typeof table)[number]>;
  const widths = columns.map((column) => Math.max(column.length, ...table.map((row) => row[column].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, index) => cell.padEnd(widths[index]!))
      .join('  ')
      .trimEnd();
  console.log(line(columns));
  for (const row of table) console.log(line(columns.map((column) => row[column])));
}
