/**
 * Retrieval quality on the labelled sample set (bench/knowledge-eval.json): for each paraphrased
 * question, is its target (an FAQ id, or a document) ranked first / in the top 3? FAQ targets are
 * looked up among FAQ entries and document targets among passages, as the router does.
 *
 * Compares, on the same tokenizer: SQLite FTS5 (what the bridge uses) and MiniSearch (an in-memory BM25
 * library), each in BM25 order and re-ranked by the confidence score the router thresholds on.
 */
import { readFileSync } from 'node:fs';
import MiniSearch from 'minisearch';
import type { AnswerRequest, AnswerSource } from '../src/answer/answer-source.js';
import { knowledgeSettings, parseConfig } from '../src/config.js';
import { createDrizzleKnowledgeStore } from '../src/knowledge/drizzle-knowledge-store.js';
import type { KnowledgeEntry } from '../src/knowledge/knowledge-entry.js';
import { searchKnowledge, type KnowledgeHit } from '../src/knowledge/knowledge-search.js';
import { createKnowledgeSource } from '../src/knowledge/knowledge-source.js';
import type { KnowledgeStore } from '../src/knowledge/knowledge-store.js';
import { parseKnowledgeFile } from '../src/knowledge/parse-knowledge.js';
import type { SynonymGroup } from '../src/knowledge/synonyms.js';
import { readKnowledgeDirectory } from '../src/knowledge/read-knowledge-directory.js';
import { syncKnowledge } from '../src/knowledge/sync-knowledge.js';
import { entryTerms, tokenize } from '../src/knowledge/tokenize.js';
import { systemClock } from '../src/runtime/clock.js';
import { noopLogger } from '../src/runtime/logger.js';
import { openNodeDatabase } from '../src/store/open-node-database.js';
import { knowledgeKinds } from '../src/store/schema.js';

interface Labelled {
  query: string;
  expect: string;
}

export interface RetrievalScores {
  name: string;
  top1: Record<'en' | 'zh' | 'all', number>;
  top3: Record<'en' | 'zh' | 'all', number>;
  msPerQuery: number;
}

const LIMIT = 5;

export async function measureRetrieval(evalFile: string, knowledgeDir = 'knowledge') {
  const labelled = JSON.parse(readFileSync(evalFile, 'utf8')) as Labelled[];
  const files = await readKnowledgeDirectory(knowledgeDir);
  const parsed = files.map(parseKnowledgeFile);
  const entries = parsed.flatMap((file) => file.entries);
  const synonymGroups = parsed.flatMap((file) => file.synonyms);

  const database = openNodeDatabase(':memory:');
  const fts5 = createDrizzleKnowledgeStore(database.db, database.atomic);
  await syncKnowledge(files, fts5, { clock: systemClock, logger: noopLogger });
  const mini = miniSearchStore(entries, synonymGroups);

  // Warm both up (JIT, SQLite page cache) so the first measured retriever is not charged for it.
  for (const store of [fts5, mini]) await score('warm-up', store, labelled, false);
  const results: RetrievalScores[] = [];
  for (const [name, store] of [
    ['SQLite FTS5', fts5],
    ['MiniSearch', mini],
  ] as const) {
    for (const rerank of [false, true]) {
      results.push(await score(`${name}${rerank ? ' + confidence re-rank' : ''}`, store, labelled, rerank));
    }
  }
  const router = await routerOutcomes(fts5, labelled);
  database.close();
  return { results, router, queries: labelled.length, entries: entries.length };
}

async function score(name: string, store: KnowledgeStore, labelled: Labelled[], rerank: boolean) {
  const hits = { en: [0, 0, 0], zh: [0, 0, 0], all: [0, 0, 0] }; // [top1, top3, count]
  const started = performance.now();
  for (const { query, expect } of labelled) {
    const wantsFaq = !expect.includes('/');
    const matches = await searchKnowledge(store, query, { faq: wantsFaq ? LIMIT : 0, passages: wantsFaq ? 0 : LIMIT });
    const ranked = order(wantsFaq ? matches.faq : matches.passages, rerank);
    const position = ranked.findIndex(({ entry }) => (wantsFaq ? entry.id === expect : entry.source === expect));
    for (const bucket of [languageOf(expect), 'all'] as const) {
      hits[bucket][0]! += position === 0 ? 1 : 0;
      hits[bucket][1]! += position >= 0 && position < 3 ? 1 : 0;
      hits[bucket][2]! += 1;
    }
  }
  const rate = (bucket: keyof typeof hits, index: 0 | 1) => hits[bucket][index]! / hits[bucket][2]!;
  return {
    name,
    top1: { en: rate('en', 0), zh: rate('zh', 0), all: rate('all', 0) },
    top3: { en: rate('en', 1), zh: rate('zh', 1), all: rate('all', 1) },
    msPerQuery: (performance.now() - started) / labelled.length,
  };
}

/**
 * The router's direct answers at several thresholds: how many FAQ questions it would answer without the
 * model, and how many of those with the right entry. The default threshold is picked from this. Each
 * question goes through the service's own knowledge source (no model), so what is counted is what it does.
 */
async function routerOutcomes(store: KnowledgeStore, labelled: Labelled[]) {
  const faqQuestions = labelled.filter((item) => !item.expect.includes('/'));
  const defaults = knowledgeSettings(parseConfig({}));
  const sweep = [];
  for (const threshold of [0.4, 0.5, 0.6, 0.7]) {
    const source = createKnowledgeSource({ store, settings: { ...defaults, faqDirectThreshold: threshold } });
    let direct = 0;
    let correct = 0;
    for (const { query, expect } of faqQuestions) {
      const answered = await directAnswer(source, query);
      if (answered === undefined) continue;
      direct += 1;
      if (answered === expect) correct += 1;
    }
    sweep.push({ threshold, direct, correct });
  }
  return { chosen: defaults.faqDirectThreshold, faqQuestions: faqQuestions.length, sweep };
}

/** The FAQ entry a question is answered with directly (QA_DIRECT, without the model), if it is. */
async function directAnswer(source: AnswerSource, text: string): Promise<string | undefined> {
  let entryId: string | undefined;
  for await (const event of source.answer(questionOnly(text), new AbortController().signal)) {
    if (event.type === 'source') entryId ??= event.ref.id;
    if (event.type === 'finish') return event.via === 'faq' ? entryId : undefined;
  }
  return undefined;
}

function questionOnly(text: string): AnswerRequest {
  return {
    conversation: {
      cid: 'knowledge-eval',
      channel: { partnerId: '', params: {}, multiParams: {}, sourceEnum: 'WEB', robotId: '' },
    },
    message: { text },
    history: [],
    facts: { variables: [], params: {} },
    debug: false,
    streaming: false,
  };
}

function order(hits: KnowledgeHit[], rerank: boolean): KnowledgeHit[] {
  if (!rerank) return hits;
  return [...hits].sort((a, b) => b.confidence - a.confidence || b.score - a.score);
}

function languageOf(expect: string): 'en' | 'zh' {
  return expect.startsWith('zh') ? 'zh' : 'en';
}

/** MiniSearch over the same entries and tokenizer, behind the same store interface. */
function miniSearchStore(entries: KnowledgeEntry[], synonymGroups: SynonymGroup[]): KnowledgeStore {
  const indexes = Object.fromEntries(
    knowledgeKinds.map((kind) => {
      const index = new MiniSearch<KnowledgeEntry & { question: string }>({
        fields: ['question', 'body'],
        idField: 'id',
        tokenize: (text) => tokenize(text),
        processTerm: (term) => term,
        searchOptions: { boost: { question: kind === 'faq' ? 2 : 1.5 }, combineWith: 'OR' },
      });
      index.addAll(
        entries
          .filter((entry) => entry.kind === kind)
          .map((entry) => ({ ...entry, question: [entry.title, ...entry.similar].join('\n') })),
      );
      return [kind, index];
    }),
  ) as Record<KnowledgeEntry['kind'], MiniSearch>;
  const byId = new Map(entries.map((entry) => [entry.id, entry]));
  const counts = {
    faq: entries.filter((entry) => entry.kind === 'faq').length,
    passage: entries.filter((entry) => entry.kind === 'passage').length,
  };
  return {
    fileHashes: async () => new Map(),
    apply: async () => {},
    entryIds: async () => [],
    counts: async () => counts,
    searchContext: async () => ({ synonyms: synonymGroups, entries: counts }),
    async search(terms, kind, limit) {
      return indexes[kind]
        .search(terms.join(' '))
        .slice(0, limit)
        .map((result) => {
          const entry = byId.get(String(result.id))!;
          const { titleTerms, bodyTerms } = entryTerms(entry);
          return { entry, score: result.score, terms: `${titleTerms} ${bodyTerms}`.split(' ').filter(Boolean) };
        });
    },
  };
}

export function formatRetrieval(report: Awaited<ReturnType<typeof measureRetrieval>> & { title: string }): string {
  const percent = (value: number) => `${(value * 100).toFixed(1)}%`.padStart(7);
  const lines = [
    `Knowledge retrieval, ${report.title}: ${report.queries} labelled paraphrases over ${report.entries} sample entries`,
    '',
    `${'retriever'.padEnd(40)} ${'top-1'.padStart(7)} ${'top-3'.padStart(7)}   top-1 en/zh       top-3 en/zh      ms/query`,
    ...report.results.map(
      (row) =>
        `${row.name.padEnd(40)} ${percent(row.top1.all)} ${percent(row.top3.all)}   ${percent(row.top1.en)} ${percent(row.top1.zh)}   ${percent(row.top3.en)} ${percent(row.top3.zh)}   ${row.msPerQuery.toFixed(2).padStart(6)}`,
    ),
    '',
    `Direct FAQ answers (no model) for the ${report.router.faqQuestions} FAQ questions, by KNOWLEDGE_FAQ_THRESHOLD (default ${report.router.chosen}):`,
    ...report.router.sweep.map(
      (row) =>
        `  ${row.threshold.toFixed(1)}: ${row.direct} answered directly, ${row.correct} of them with the right entry`,
    ),
  ];
  return lines.join('\n');
}
