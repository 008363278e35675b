import { eq, sql } from 'drizzle-orm';
import type { AtomicWrite, SqliteDatabase } from '../store/sqlite-database.js';
import { knowledgeEntries, knowledgeFiles } from '../store/schema.js';
import type { KnowledgeEntry } from './knowledge-entry.js';
import type { KnowledgeStore } from './knowledge-store.js';
import { tokenize } from './tokenize.js';

/**
 * BM25 column weights (title terms, body terms). An FAQ's title holds its question and similar
 * questions, which say what it answers better than the answer's own words; a passage's title is its
 * heading path. Chosen on the labelled sample set (`npm run bench`).
 */
const WEIGHTS = { faq: [2, 1], passage: [1.5, 1] } as const;

interface EntryRow {
  id: string;
  kind: KnowledgeEntry['kind'];
  source: string;
  title: string;
  similar: string;
  body: string;
  rank: number;
}

export function createDrizzleKnowledgeStore(db: SqliteDatabase, atomic: AtomicWrite): KnowledgeStore {
  return {
    async fileHashes() {
      const rows = await db.select({ path: knowledgeFiles.path, hash: knowledgeFiles.hash }).from(knowledgeFiles);
      return new Map(rows.map((row) => [row.path, row.hash]));
    },

    async replaceFile(path, hash, entries, at) {
      const removeOld = db.delete(knowledgeEntries).where(eq(knowledgeEntries.source, path));
      const record = db
        .insert(knowledgeFiles)
        .values({ path, hash, entryCount: entries.length, indexedAt: at })
        .onConflictDoUpdate({ target: knowledgeFiles.path, set: { hash, entryCount: entries.length, indexedAt: at } });
      if (entries.length === 0) return atomic([removeOld, record]);
      const insert = db.insert(knowledgeEntries).values(
        entries.map((entry) => ({
          ...entry,
          titleTerms: tokenize([entry.title, ...entry.similar].join('\n')).join(' '),
          bodyTerms: tokenize(entry.body).join(' '),
        })),
      );
      await atomic([removeOld, insert, record]);
    },

    async removeFile(path) {
      await atomic([
        db.delete(knowledgeEntries).where(eq(knowledgeEntries.source, path)),
        db.delete(knowledgeFiles).where(eq(knowledgeFiles.path, path)),
      ]);
    },

    async search(terms, kind, limit) {
      const distinct = [...new Set(terms)];
      if (distinct.length === 0) return [];
      // Any term may match; BM25 ranks entries matching more, and rarer, terms higher.
      const match = distinct.map((term) => `"${term.replaceAll('"', '""')}"`).join(' OR ');
      const [titleWeight, bodyWeight] = WEIGHTS[kind];
      const rows = (await db.all(sql`
        select e.id, e.kind, e.source, e.title, e.similar, e.body,
               bm25(knowledge_fts, ${titleWeight}, ${bodyWeight}) as rank
        from knowledge_fts join knowledge_entries e on e.seq = knowledge_fts.rowid
        where knowledge_fts match ${match} and e.kind = ${kind}
        order by rank limit ${limit}`)) as EntryRow[];
      return rows.map((row) => ({
        entry: {
          id: row.id,
          kind: row.kind,
          source: row.source,
          title: row.title,
          similar: JSON.parse(row.similar) as string[],
          body: row.body,
        },
        // FTS5's bm25() is negative, more negative for better matches.
        score: -row.rank,
      }));
    },

    async counts() {
      const rows = await db
        .select({ kind: knowledgeEntries.kind, count: sql<number>`count(*)` })
        .from(knowledgeEntries)
        .groupBy(knowledgeEntries.kind);
      const counts = { faq: 0, passage: 0 };
      for (const row of rows) counts[row.kind] = row.count;
      return counts;
    },
  };
}
