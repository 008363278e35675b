import type { KnowledgeEntry, KnowledgeFile } from './knowledge-entry.js';

// Long enough to hold a section's point, short enough that several fit in a prompt.
const MAX_PASSAGE_CHARS = 900;

/**
 * Splits a Markdown or plain-text document into passages: one per section (a `#` heading and what
 * follows), long sections cut at paragraph boundaries. Each passage keeps its heading path as title,
 * so a passage read alone still says what it is about.
 */
export function splitDocument(file: KnowledgeFile): KnowledgeEntry[] {
  const passages: KnowledgeEntry[] = [];
  const headings: string[] = [];
  let paragraphs: string[] = [];
  const fileTitle = file.path
    .split('/')
    .pop()!
    .replace(/\.(md|markdown|txt)$/i, '');

  const flush = () => {
    const title = headings.filter(Boolean).join(' › ') || fileTitle;
    for (const body of packParagraphs(paragraphs)) {
      passages.push({
        id: `${file.path}#${passages.length + 1}`,
        kind: 'passage',
        source: file.path,
        title,
        similar: [],
        body,
      });
    }
    paragraphs = [];
  };

  for (const block of file.content.replace(/\r\n?/g, '\n').split(/\n\s*\n/)) {
    const heading = block.match(/^(#{1,6})\s+(.+?)\s*#*\s*$/m);
    if (heading && block.trim().startsWith('#')) {
      flush();
      const level = heading[1]!.length;
      headings.length = level - 1;
      headings[level - 1] = heading[2]!.trim();
      const rest = block.slice(block.indexOf('\n') + 1).trim();
      if (block.includes('\n') && rest) paragraphs.push(rest);
      continue;
    }
    const text = block.trim();
    if (text) paragraphs.push(text);
  }
  flush();
  return passages;
}

/** Joins paragraphs up to the size limit; a paragraph longer than the limit is cut at sentence ends. */
function packParagraphs(paragraphs: string[]): string[] {
  const packed: string[] = [];
  let current = '';
  for (const paragraph of paragraphs.flatMap(splitLongParagraph)) {
    if (current && current.length + paragraph.length + 2 > MAX_PASSAGE_CHARS) {
      packed.push(current);
      current = '';
    }
    current = current ? `${current}\n\n${paragraph}` : paragraph;
  }
  if (current) packed.push(current);
  return packed;
}

function splitLongParagraph(paragraph: string): string[] {
  if (paragraph.length <= MAX_PASSAGE_CHARS) return [paragraph];
  const sentences = paragraph.match(/[^.!?。！？]+[.!?。！？]*\s*/g) ?? [paragraph];
  const pieces: string[] = [];
  let current = '';
  for (const sentence of sentences) {
    if (current && current.length + sentence.length > MAX_PASSAGE_CHARS) {
      pieces.push(current.trim());
      current = '';
    }
    current += sentence;
  }
  if (current.trim()) pieces.push(current.trim());
  return pieces;
}
