import { and, eq, inArray, sql } from 'drizzle-orm';
import type { AtomicWrite, SqliteDatabase, WriteQuery } from '../store/sqlite-database.js';
import { knowledgeEntries, knowledgeFiles, knowledgeSynonyms } from '../store/schema.js';
import type { KnowledgeEntry } from './knowledge-entry.js';
import type { KnowledgeStore, SearchContext } from './knowledge-store.js';
import { entryTerms } from './tokenize.js';

/**
 * BM25 column weights (title terms, body terms). An FAQ's title holds its question and similar
 * questions, which say what it answers better than the answer's own words; a passage's title is its
 * heading path. Chosen on the labelled sample set (`npm run bench`).
 */
const WEIGHTS = { faq: [2, 1], passage: [1.5, 1] } as const;
const ROWS_PER_INSERT = 10;

export function createDrizzleKnowledgeStore(db: SqliteDatabase, atomic: AtomicWrite): KnowledgeStore {
  let cachedContext: (SearchContext & { key: string }) | undefined;
  // Every question runs these: prepared once, not built and compiled per round.
  const selectVersion = db
    .select({ at: sql<number | null>`max(${knowledgeFiles.indexedAt})`, files: sql<number>`count(*)` })
    .from(knowledgeFiles)
    .prepare();
  const searchStatements = {
    faq: prepareSearch(db, 'faq'),
    passage: prepareSearch(db, 'passage'),
  };
  return {
    async fileHashes() {
      const rows = await db.select({ path: knowledgeFiles.path, hash: knowledgeFiles.hash }).from(knowledgeFiles);
      return new Map(rows.map((row) => [row.path, row.hash]));
    },

    async apply({ replaced, removed }, at) {
      const paths = [...replaced.map((file) => file.path), ...removed];
      if (paths.length === 0) return;
      const writes: [WriteQuery, ...WriteQuery[]] = [
        db.delete(knowledgeEntries).where(inArray(knowledgeEntries.source, paths)),
        db.delete(knowledgeSynonyms).where(inArray(knowledgeSynonyms.source, paths)),
        db.delete(knowledgeFiles).where(inArray(knowledgeFiles.path, paths)),
      ];
      for (const { path, hash, content } of replaced) {
        const { entries, synonyms } = content;
        writes.push(
          db.insert(knowledgeFiles).values({ path, hash, entryCount: entries.length + synonyms.length, indexedAt: at }),
        );
        // A few rows per statement keeps every insert within D1's limit on bound parameters.
        for (const rows of chunks(entries, ROWS_PER_INSERT)) {
          writes.push(db.insert(knowledgeEntries).values(rows.map((entry) => ({ ...entry, ...entryTerms(entry) }))));
        }
        for (const rows of chunks(synonyms, ROWS_PER_INSERT)) {
          writes.push(db.insert(knowledgeSynonyms).values(rows.map((phrases) => ({ source: path, phrases }))));
        }
      }
      await atomic(writes);
    },

    async entryIds(path) {
      const rows = await db
        .select({ id: knowledgeEntries.id })
        .from(knowledgeEntries)
        .where(eq(knowledgeEntries.source, path));
      return rows.map((row) => row.id);
    },

    async searchContext() {
      // Another process (the CLI, another instance) may re-index: a cheap version check guards the cache.
      const version = await selectVersion.get();
      const key = `${version?.at ?? 0}/${version?.files ?? 0}`;
      if (cachedContext?.key !== key) {
        const rows = await db.select({ phrases: knowledgeSynonyms.phrases }).from(knowledgeSynonyms);
        cachedContext = { key, synonyms: rows.map((row) => row.phrases), entries: await countEntries(db) };
      }
      return cachedContext;
    },

    async search(terms, kind, limit) {
      const distinct = [...new Set(terms)];
      if (distinct.length === 0) return [];
      // Any term may match; BM25 ranks entries matching more, and rarer, terms higher.
      const match = distinct.map((term) => `"${term.replaceAll('"', '""')}"`).join(' OR ');
      const rows = await searchStatements[kind].all({ match, limit });
      return rows.map((row) => ({
        entry: {
          id: row.id,
          kind: row.kind,
          source: row.source,
          title: row.title,
          similar: row.similar,
          body: row.body,
        },
        // FTS5's bm25() is negative, more negative for better matches.
        score: -row.rank,
        terms: `${row.titleTerms} ${row.bodyTerms}`.split(' ').filter(Boolean),
      }));
    },

    counts: () => countEntries(db),
  };
}

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let index = 0; index < items.length; index += size) result.push(items.slice(index, index + size));
  return result;
}

async function countEntries(db: SqliteDatabase): Promise<Record<KnowledgeEntry['kind'], number>> {
  const rows = await db
    .select({ kind: knowledgeEntries.kind, count: sql<number>`count(*)` })
    .from(knowledgeEntries)
    .groupBy(knowledgeEntries.kind);
  const counts = { faq: 0, passage: 0 };
  for (const row of rows) counts[row.kind] = row.count;
  return counts;
}

/** Entries of one kind matching an FTS5 query (`match`), best first, at most `limit`. */
function prepareSearch(db: SqliteDatabase, kind: KnowledgeEntry['kind']) {
  const [titleWeight, bodyWeight] = WEIGHTS[kind];
  return db
    .select({
      id: knowledgeEntries.id,
      kind: knowledgeEntries.kind,
      source: knowledgeEntries.source,
      title: knowledgeEntries.title,
      similar: knowledgeEntries.similar,
      body: knowledgeEntries.body,
      titleTerms: knowledgeEntries.titleTerms,
      bodyTerms: knowledgeEntries.bodyTerms,
      rank: sql<number>`bm25(knowledge_fts, ${sql.raw(String(titleWeight))}, ${sql.raw(String(bodyWeight))})`.as(
        'rank',
      ),
    })
    .from(sql`knowledge_fts`)
    .innerJoin(knowledgeEntries, sql`${knowledgeEntries.seq} = knowledge_fts.rowid`)
    .where(and(sql`knowledge_fts match ${sql.placeholder('match')}`, eq(knowledgeEntries.kind, kind)))
    .orderBy(sql`rank`)
    .limit(sql.placeholder('limit'))
    .prepare();
}
