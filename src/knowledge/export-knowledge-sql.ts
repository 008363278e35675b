import type { KnowledgeFile } from './knowledge-entry.js';
import { parseKnowledgeFile } from './parse-knowledge.js';
import { entryTerms } from './tokenize.js';

/**
 * The knowledge as SQL statements that replace a database's knowledge tables: the way knowledge reaches
 * D1 (`wrangler d1 execute DB --file …`), where the Worker cannot read files. The FTS5 index is filled
 * by the tables' triggers as the rows go in. Files with mistakes are left out (and returned).
 */
export function knowledgeAsSql(files: KnowledgeFile[], at: number): { sql: string; errors: string[] } {
  const statements = [
    'DELETE FROM knowledge_entries;',
    'DELETE FROM knowledge_synonyms;',
    'DELETE FROM knowledge_files;',
  ];
  const errors: string[] = [];
  // Ids are unique across files; the first file in path order keeps one, as a re-index on Node decides.
  const owners = new Map<string, string>();
  for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    let content;
    try {
      content = parseKnowledgeFile(file);
    } catch (error) {
      errors.push(error instanceof Error ? error.message : String(error));
      continue;
    }
    const duplicate = content.entries.find((entry) => owners.has(entry.id));
    if (duplicate) {
      errors.push(`${file.path}: id "${duplicate.id}" is already used in ${owners.get(duplicate.id)}`);
      continue;
    }
    for (const entry of content.entries) {
      owners.set(entry.id, file.path);
      const { titleTerms, bodyTerms } = entryTerms(entry);
      statements.push(
        `INSERT INTO knowledge_entries (id, kind, source, title, similar, body, title_terms, body_terms) VALUES (${[
          entry.id,
          entry.kind,
          entry.source,
          entry.title,
          JSON.stringify(entry.similar),
          entry.body,
          titleTerms,
          bodyTerms,
        ]
          .map(quote)
          .join(', ')});`,
      );
    }
    for (const phrases of content.synonyms) {
      statements.push(
        `INSERT INTO knowledge_synonyms (source, phrases) VALUES (${quote(file.path)}, ${quote(JSON.stringify(phrases))});`,
      );
    }
    // No content hash: the Worker never re-indexes from files, so it has nothing to compare it with.
    const count = content.entries.length + content.synonyms.length;
    statements.push(
      `INSERT INTO knowledge_files (path, hash, entry_count, indexed_at) VALUES (${quote(file.path)}, 'exported', ${count}, ${at});`,
    );
  }
  return { sql: `${statements.join('\n')}\n`, errors };
}

function quote(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
