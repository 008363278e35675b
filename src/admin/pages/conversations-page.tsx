import type { ConversationList } from '../admin-data.js';
import { AnswerTypeBadge, Badge, StatusBadge } from '../components/badges.js';
import { Time } from '../components/format.js';
import { Layout } from '../components/layout.js';
import { LiveRegion } from '../components/live-region.js';

/** The filter as typed (raw query values), to fill the form and build links. */
export interface ConversationFilterInput {
  cid?: string | undefined;
  robot?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  before?: string | undefined;
}

export function ConversationsPage(props: {
  list: ConversationList;
  filter: ConversationFilterInput;
  robots: string[];
}) {
  const { list, filter } = props;
  const query = (extra: Record<string, string | undefined>) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries({ ...filter, ...extra })) if (value) params.set(key, value);
    const text = params.toString();
    return text ? `?${text}` : '';
  };
  return (
    <Layout section="conversations" title="Conversations" subtitle="newest activity first">
      <section class="panel flush">
        <form class="filters" method="get" action="/admin/conversations">
          <label>
            Conversation id
            <input type="text" name="cid" value={filter.cid} placeholder="all or part of ai_agent_cid" size={28} />
          </label>
          <label>
            Robot
            <input type="text" name="robot" value={filter.robot} placeholder="robotid" list="robots" size={14} />
            <datalist id="robots">
              {props.robots.map((robot) => (
                <option value={robot} />
              ))}
            </datalist>
          </label>
          <label>
            Active from
            <input type="datetime-local" data-utc-into="from" />
          </label>
          <label>
            to
            <input type="datetime-local" data-utc-into="to" />
          </label>
          <input type="hidden" name="from" value={filter.from} />
          <input type="hidden" name="to" value={filter.to} />
          <button type="submit" class="btn primary">
            Search
          </button>
          <a class="btn" href="/admin/conversations">
            Clear
          </a>
        </form>
      </section>
      <section class="panel flush">
        <LiveRegion id="conversations" src={`/admin/api/conversations${query({})}`} version={list.version}>
          {list.conversations.length === 0 ? (
            <p class="empty">No conversations match.</p>
          ) : (
            <table class="data">
              <thead>
                <tr>
                  <th>Conversation</th>
                  <th>Robot</th>
                  <th>Last question</th>
                  <th>Last answer</th>
                  <th class="num">Rounds</th>
                  <th>Started</th>
                  <th>Last active</th>
                </tr>
              </thead>
              <tbody>
                {list.conversations.map((conversation) => (
                  <tr>
                    <td class="mono">
                      <a href={`/admin/conversations/${encodeURIComponent(conversation.cid)}`}>{conversation.cid}</a>
                    </td>
                    <td>{conversation.robotid ?? <span class="muted">—</span>}</td>
                    <td class="clip" title={conversation.lastQuestion ?? undefined}>
                      {conversation.lastQuestion ?? <span class="muted">—</span>}
                    </td>
                    <td class="nowrap">
                      <StatusBadge status={conversation.lastStatus} />{' '}
                      <AnswerTypeBadge type={conversation.lastAnswerType} />
                    </td>
                    <td class="num">
                      {conversation.roundCount}
                      {conversation.failedRounds > 0 && (
                        <>
                          {' '}
                          <Badge tone="bad">{conversation.failedRounds} failed</Badge>
                        </>
                      )}
                    </td>
                    <td class="nowrap">
                      <Time at={conversation.createdAt} />
                    </td>
                    <td class="nowrap">
                      <Time at={conversation.updatedAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </LiveRegion>
        {(filter.before || list.next) && (
          <div class="pager">
            {filter.before && (
              <a class="btn" href={`/admin/conversations${query({ before: undefined })}`}>
                ← Newest
              </a>
            )}
            {list.next && (
              <a class="btn" href={`/admin/conversations${query({ before: list.next })}`}>
                Older →
              </a>
            )}
          </div>
        )}
      </section>
    </Layout>
  );
}
