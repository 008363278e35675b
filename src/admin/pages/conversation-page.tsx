import type { ConversationDetail } from '../admin-data.js';
import { Time } from '../components/format.js';
import { Layout } from '../components/layout.js';
import { LiveRegion } from '../components/live-region.js';
import { TranscriptView } from '../components/transcript-view.js';

/** One conversation as a chat transcript, each round with its details. */
export function ConversationPage(props: { detail: ConversationDetail }) {
  const { conversation, rounds } = props.detail;
  const path = encodeURIComponent(conversation.cid);
  return (
    <Layout
      section="conversations"
      title="Conversation"
      subtitle={<span class="mono">{conversation.cid}</span>}
      actions={
        <a class="btn" href="/admin/conversations">
          ← All conversations
        </a>
      }
    >
      <section class="panel">
        <div class="meta-list">
          <span>
            Robot <b>{conversation.robotid ?? '—'}</b>
          </span>
          <span>
            Company <b>{conversation.companyid ?? '—'}</b>
          </span>
          <span>
            Partner <b>{conversation.partnerid ?? '—'}</b>
          </span>
          <span>
            Channel <b>{conversation.sourceEnum ?? '—'}</b>
          </span>
          <span>
            Rounds <b>{conversation.roundCount}</b>
          </span>
          <span>
            Started{' '}
            <b>
              <Time at={conversation.createdAt} />
            </b>
          </span>
          <span>
            Last active{' '}
            <b>
              <Time at={conversation.updatedAt} />
            </b>
          </span>
        </div>
      </section>
      <section class="panel flush">
        <LiveRegion id="transcript" src={`/admin/api/conversations/${path}`} version={props.detail.version}>
          {rounds.length < conversation.roundCount && (
            <p class="notice">
              Showing the newest {rounds.length} of {conversation.roundCount} rounds.
            </p>
          )}
          <TranscriptView rounds={rounds} />
        </LiveRegion>
      </section>
    </Layout>
  );
}
