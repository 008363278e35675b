import type { StoredCallback } from '../../store/callback-store.js';
import { callbackStatuses, type CallbackStatus } from '../../store/schema.js';
import type { CallbackList } from '../admin-data.js';
import { StatusBadge } from '../components/badges.js';
import { Time } from '../components/format.js';
import { Layout } from '../components/layout.js';
import { LiveRegion } from '../components/live-region.js';

/** The callback outbox: what waits, what Sobot accepted, what was given up, and retrying. */
export function CallbacksPage(props: { list: CallbackList; status: CallbackStatus | undefined; limit: number }) {
  const { list, status } = props;
  const total = callbackStatuses.reduce((sum, each) => sum + list.counts[each], 0);
  const tabs: Array<{ status: CallbackStatus | undefined; label: string; count: number }> = [
    { status: undefined, label: 'All', count: total },
    ...callbackStatuses.map((each) => ({
      status: each,
      label: each[0]!.toUpperCase() + each.slice(1),
      count: list.counts[each],
    })),
  ];
  const src = `/admin/api/callbacks${status ? `?status=${status}` : ''}`;
  return (
    <Layout section="callbacks" title="Callbacks" subtitle="copilot answers and batch-test results sent to Sobot">
      <section class="panel flush">
        <LiveRegion id="callbacks" src={src} version={list.version}>
          <div class="tabs">
            {tabs.map((tab) => (
              <a
                href={`/admin/callbacks${tab.status ? `?status=${tab.status}` : ''}`}
                class={tab.status === status ? 'active' : undefined}
              >
                {tab.label}
                <span class="count">{tab.count}</span>
              </a>
            ))}
            {list.counts.dead > 0 && (
              <span class="tab-actions">
                <button
                  type="button"
                  class="btn small"
                  data-post="/admin/api/callbacks/retry-dead"
                  data-confirm={`Queue all ${list.counts.dead} dead callbacks again?`}
                  data-done="Dead callbacks queued again"
                >
                  Retry all dead
                </button>
              </span>
            )}
          </div>
          {list.callbacks.length === 0 ? (
            <p class="empty">No {status ?? ''} callbacks.</p>
          ) : (
            <CallbackTable callbacks={list.callbacks} />
          )}
          {list.callbacks.length === props.limit && (
            <p class="muted empty">Showing the newest {props.limit}. `npm run callbacks -- list --json` lists more.</p>
          )}
        </LiveRegion>
      </section>
    </Layout>
  );
}

function CallbackTable(props: { callbacks: StoredCallback[] }) {
  return (
    <table class="data">
      <thead>
        <tr>
          <th class="num">Id</th>
          <th>Kind</th>
          <th>Status</th>
          <th>Round</th>
          <th class="num">Attempts</th>
          <th class="num">HTTP</th>
          <th>Last error</th>
          <th>Queued</th>
          <th>Next attempt / done</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {props.callbacks.map((callback) => (
          <tr id={`callback-${callback.id}`}>
            <td class="num">{callback.id}</td>
            <td>{callback.kind}</td>
            <td>
              <StatusBadge status={callback.status} />
            </td>
            <td class="mono clip">
              <a href={`/admin/conversations/${encodeURIComponent(callback.cid)}#round-${callback.roundId}`}>
                {callback.cid} / {callback.roundid}
              </a>
            </td>
            <td class="num">{callback.attempts}</td>
            <td class="num">{callback.lastHttpStatus ?? '—'}</td>
            <td class="wrap">{callback.lastError ?? <span class="muted">—</span>}</td>
            <td class="nowrap">
              <Time at={callback.queuedAt} />
            </td>
            <td class="nowrap">
              <Time
                at={
                  callback.status === 'pending'
                    ? callback.nextAttemptAt
                    : callback.status === 'delivered'
                      ? callback.deliveredAt
                      : callback.updatedAt
                }
              />
            </td>
            <td>
              {callback.status !== 'delivered' && (
                <button
                  type="button"
                  class="btn small"
                  data-post={`/admin/api/callbacks/${callback.id}/retry`}
                  data-done={`Callback ${callback.id} queued again`}
                >
                  Retry now
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
