/**
 * CybotStar answers are a string, or JSON from a plugin (`{type, …}`): Markdown, a chart, a web search
 * with images. Sobot shows text, so each becomes readable text.
 */
export function readableAnswer(answer: unknown): string {
  if (typeof answer === 'string') return answer;
  if (!answer || typeof answer !== 'object') return '';
  const record = answer as Record<string, unknown>;
  if (typeof record.answer === 'string' || (record.answer && typeof record.answer === 'object')) {
    return readableAnswer(record.answer);
  }
  const type = String(record.type ?? (record.raw_data as Record<string, unknown> | undefined)?.type ?? '');
  const text = (key: string) => (typeof record[key] === 'string' ? (record[key] as string) : undefined);
  if (type === 'markdown') return text('data') ?? text('markdown') ?? text('content') ?? '';
  if (type === 'chart') {
    const raw = (record.raw_data ?? record.data) as Record<string, unknown> | undefined;
    const title = typeof raw?.title === 'string' ? raw.title : 'Chart';
    const described = text('description');
    return described ? `${title}: ${described}` : `${title} (a chart; see it on the web page)`;
  }
  if (type === 'online_search' || type === 'image' || type.includes('online_search')) {
    const description = text('description');
    if (description) return description;
    const data = record.data;
    if (Array.isArray(data)) {
      return data
        .map((item) =>
          typeof item === 'string' ? item : [item?.title, item?.url ?? item?.link].filter(Boolean).join(' '),
        )
        .filter(Boolean)
        .join('\n');
    }
    return typeof data === 'string' ? data : '';
  }
  return text('data') ?? text('content') ?? text('text') ?? '';
}
