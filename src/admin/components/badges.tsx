type Tone = 'ok' | 'warn' | 'bad' | 'accent' | 'neutral';

const statusTones: Record<string, Tone> = {
  succeeded: 'ok',
  delivered: 'ok',
  running: 'accent',
  pending: 'warn',
  unanswered: 'warn',
  aborted: 'neutral',
  failed: 'bad',
  dead: 'bad',
};

export function Badge(props: { tone?: Tone; title?: string; children: unknown }) {
  const tone = props.tone && props.tone !== 'neutral' ? ` ${props.tone}` : '';
  return (
    <span class={`badge${tone}`} title={props.title}>
      {props.children}
    </span>
  );
}

/** A round's or a callback's status. */
export function StatusBadge(props: { status: string | null | undefined }) {
  if (!props.status) return <span class="muted">—</span>;
  return <Badge tone={statusTones[props.status] ?? 'neutral'}>{props.status}</Badge>;
}

/** Sobot's answer type; workflow and hand-over types stand out from plain answers. */
export function AnswerTypeBadge(props: { type: string | null | undefined }) {
  if (!props.type) return <span class="muted">—</span>;
  const tone: Tone = props.type.startsWith('PROCESS')
    ? 'accent'
    : props.type === 'TRANSFER_INTENTION'
      ? 'warn'
      : props.type === 'UNKNOWN'
        ? 'neutral'
        : 'ok';
  return <Badge tone={tone}>{props.type}</Badge>;
}
