import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { knowledgeAsSql } from '../src/knowledge/export-knowledge-sql.js';
import { round, storedRound } from './helpers/bridge.js';
import { useTestHarness } from './helpers/test-harness.js';
import { waitFor } from './helpers/wait-for.js';

const harness = useTestHarness();

const FAQ = `
- id: ship-time
  question: How long does shipping take?
  similar:
    - When will my order arrive?
  answer: |
    Standard shipping takes 3 to 5 business days.
    Express takes 1 to 2 days.
- id: gift-cards
  question: Do you sell gift cards?
  similar: [Can I buy a gift card?]
  answer: Yes, gift cards come in 100, 200 and 500 yuan.
- id: zh-refund
  question: 退款多久到账？
  similar: [什么时候退款]
  answer: 退款会在 1 到 3 个工作日内原路退回。
`;

const DOCUMENT = `# Warranty terms

## What the warranty covers
Every tent and backpack has a two-year warranty against defects in materials and workmanship.
Broken poles and zippers are repaired or replaced free of charge.

## What it does not cover
Wear and tear, misuse and accidents are not covered by the warranty.
`;

let directories: string[] = [];
afterEach(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
  directories = [];
});

function knowledgeDirectory(files: Record<string, string>): string {
  const directory = mkdtempSync(join(tmpdir(), 'bridge-knowledge-'));
  directories.push(directory);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(directory, name, '..'), { recursive: true });
    writeFileSync(join(directory, name), content);
  }
  return directory;
}

const shape = (items: Array<{ robot_answer_message_type: string; llm_answer: string; answer_type: string }>) =>
  items.map((item) => [item.robot_answer_message_type, item.llm_answer, item.answer_type]);

describe('a confident FAQ hit', () => {
  it('is answered directly as QA_DIRECT, streamed as MESSAGE deltas, without calling the model', async () => {
    const directory = knowledgeDirectory({ 'faq.yaml': FAQ });
    const bridge = await harness.start({ env: harness.llmEnv({ KNOWLEDGE_DIR: directory }) });
    const before = harness.llm.calls.length;
    const body = round({ question: 'how long does shipping take' });
    const { items } = await bridge.askStream(body);
    expect(harness.llm.calls.length).toBe(before);
    expect(shape(items)).toEqual([
      ['MESSAGE', 'Standard shipping takes 3 to 5 business days.\n', 'QA_DIRECT'],
      ['MESSAGE', 'Express takes 1 to 2 days.', 'QA_DIRECT'],
      ['MESSAGE', '', 'QA_DIRECT'],
      ['THIRD_ANSWER_INFO', '', 'QA_DIRECT'],
    ]);
    expect(items.at(-1)).toMatchObject({ success: true, lan: 'en' });
    const row = storedRound(bridge, body.roundid)!;
    expect(row).toMatchObject({ answer_source: 'faq', answer_type: 'QA_DIRECT', status: 'succeeded' });
    expect(JSON.parse(row.sources as string)).toEqual([
      expect.objectContaining({
        id: 'ship-time',
        kind: 'faq',
        source: 'faq.yaml',
        title: 'How long does shipping take?',
      }),
    ]);
  });

  it('is answered directly at the threshold itself: a question word for word as the entry has it, at 1', async () => {
    const directory = knowledgeDirectory({ 'faq.yaml': FAQ });
    const bridge = await harness.start({
      env: harness.llmEnv({ KNOWLEDGE_DIR: directory, KNOWLEDGE_FAQ_THRESHOLD: '1' }),
    });
    const before = harness.llm.calls.length;
    const { envelope } = await bridge.ask(round({ question: 'How long does shipping take?' }));
    expect(envelope.data?.at(-1)).toMatchObject({ answer_type: 'QA_DIRECT' });
    expect(harness.llm.calls.length).toBe(before);
  });

  it('works for Chinese questions too', async () => {
    const directory = knowledgeDirectory({ 'faq.yaml': FAQ });
    const bridge = await harness.start({ env: { KNOWLEDGE_DIR: directory } });
    const { envelope } = await bridge.ask(round({ question: '退款多久能到账' }));
    expect(envelope.data?.[0]?.llm_answer).toBe('退款会在 1 到 3 个工作日内原路退回。');
    expect(envelope.data?.[1]).toMatchObject({ answer_type: 'QA_DIRECT', lan: 'zh', success: true });
  });
});

describe('a question near the 1 MiB body limit', () => {
  it('is searched like a short one, in its words', async () => {
    const directory = knowledgeDirectory({ 'faq.yaml': FAQ });
    const bridge = await harness.start({ env: harness.llmEnv({ KNOWLEDGE_DIR: directory }) });
    // Stopwords around the real question: the terms left are the question's own.
    const question = `Do you sell gift cards? ${'please '.repeat(140_000)}`;
    const { status, envelope } = await bridge.ask(round({ question }));
    expect(status).toBe(200);
    expect(envelope.data?.[0]?.llm_answer).toBe('Yes, gift cards come in 100, 200 and 500 yuan.');
    expect(envelope.data?.[1]).toMatchObject({ answer_type: 'QA_DIRECT', success: true });
  });
});

describe('with a model and no confident FAQ hit', () => {
  it('puts the best passages into the prompt and answers DOCUMENT_DIRECT when the answer draws on them', async () => {
    const directory = knowledgeDirectory({ 'faq.yaml': FAQ, 'docs/warranty.md': DOCUMENT });
    const bridge = await harness.start({ env: harness.llmEnv({ KNOWLEDGE_DIR: directory }) });
    harness.llm.script({
      kind: 'stream',
      chunks: ['Broken tent poles are repaired or replaced free ', 'under the two-year warranty.'],
    });
    const body = round({ question: 'My tent pole snapped on a trip, is that covered?' });
    const { envelope } = await bridge.ask(body);

    const system = harness.llm.calls.at(-1)!.body.messages[0]!.content as string;
    expect(system).toContain('Knowledge:');
    expect(system).toContain('[1] Warranty terms › What the warranty covers');
    expect(system).toContain('Broken poles and zippers are repaired or replaced free of charge.');
    expect(envelope.data?.[1]).toMatchObject({ answer_type: 'DOCUMENT_DIRECT', success: true });
    const row = storedRound(bridge, body.roundid)!;
    expect(row.answer_source).toBe('llm');
    expect(JSON.parse(row.sources as string)).toContainEqual(
      expect.objectContaining({ id: 'docs/warranty.md#1', kind: 'passage', source: 'docs/warranty.md' }),
    );
  });

  it('puts in only the FAQ answers close enough to suggest, not every entry the search found', async () => {
    // The question's six terms find the gift-card entry through "gift" alone: Dice 2·1/(6+3) ≈ 0.22 against
    // its questions, under the suggest threshold set here. The repair entry shares "tent" and "pole":
    // 2·2/(6+4) = 0.4, over it, yet not a direct answer. Only an entry close enough to suggest is about the
    // question; the gift-card answer in the prompt would only lead the model off it.
    const directory = knowledgeDirectory({
      'faq.yaml': FAQ,
      'repairs.yaml': `
- id: pole-repair
  question: Where do I send a tent pole for repair?
  answer: Post the pole section to our repair desk and it comes back within a week.
`,
      'docs/warranty.md': DOCUMENT,
    });
    const bridge = await harness.start({
      env: harness.llmEnv({ KNOWLEDGE_DIR: directory, KNOWLEDGE_SUGGEST_THRESHOLD: '0.3' }),
    });
    const body = round({ question: 'Is a snapped tent pole covered by the warranty? I got the tent as a gift.' });
    await bridge.ask(body);

    const system = harness.llm.calls.at(-1)!.body.messages[0]!.content as string;
    expect(system).toContain('FAQ: Where do I send a tent pole for repair?');
    expect(system).toContain('Post the pole section to our repair desk');
    expect(system).toContain('Broken poles and zippers are repaired or replaced free of charge.');
    expect(system).not.toContain('gift cards come in 100, 200 and 500 yuan');
    expect(system).not.toContain('FAQ: Do you sell gift cards?');
    const sources = JSON.parse(storedRound(bridge, body.roundid)!.sources as string) as Array<{ id: string }>;
    expect(sources.map((source) => source.id)).not.toContain('gift-cards');
  });

  it('answers GENERAL when the answer does not draw on the knowledge', async () => {
    const directory = knowledgeDirectory({ 'docs/warranty.md': DOCUMENT });
    const bridge = await harness.start({ env: harness.llmEnv({ KNOWLEDGE_DIR: directory }) });
    harness.llm.script({ kind: 'stream', chunks: ['Sorry, I cannot say which colours are in stock today.'] });
    const { envelope } = await bridge.ask(round({ question: 'Is the tent available in green?' }));
    expect(harness.llm.calls.at(-1)!.body.messages[0]!.content).toContain('Knowledge:');
    expect(envelope.data?.[1]).toMatchObject({ answer_type: 'GENERAL', success: true });
  });

  it('places the knowledge where a {{knowledge}} placeholder stands', async () => {
    const directory = knowledgeDirectory({ 'docs/warranty.md': DOCUMENT });
    const bridge = await harness.start({
      env: harness.llmEnv({
        KNOWLEDGE_DIR: directory,
        SYSTEM_PROMPT: 'Be brief.\n{{knowledge}}\nEnd of instructions.',
      }),
    });
    await bridge.ask(round({ question: 'what does the warranty not cover?' }));
    const system = harness.llm.calls.at(-1)!.body.messages[0]!.content as string;
    expect(system.startsWith('Be brief.\nAnswer from the knowledge below')).toBe(true);
    expect(system.endsWith('End of instructions.')).toBe(true);
  });
});

describe('without a model', () => {
  it('offers the closest FAQ questions as suggestions, counted as no answer', async () => {
    const directory = knowledgeDirectory({ 'faq.yaml': FAQ });
    const bridge = await harness.start({ env: { KNOWLEDGE_DIR: directory, KNOWLEDGE_FAQ_THRESHOLD: '0.9' } });
    const body = round({ question: 'gift card balance', runtimeid: 'r1' });
    const { envelope } = await bridge.ask(body);
    expect(envelope.data?.[0]?.llm_answer).toBe(
      "I'm not sure I understood. Did you mean one of these?\n1. Do you sell gift cards?",
    );
    expect(envelope.data?.[1]).toMatchObject({ answer_type: 'UNKNOWN', success: false });
    expect(storedRound(bridge, body.roundid)).toMatchObject({ status: 'unanswered', answer_source: 'suggestions' });
  });

  it('gives the fallback when nothing in the knowledge is close', async () => {
    const directory = knowledgeDirectory({ 'faq.yaml': FAQ });
    const bridge = await harness.start({ env: { KNOWLEDGE_DIR: directory, FALLBACK_TEXT: 'No idea, sorry.' } });
    const { envelope } = await bridge.ask(round({ question: 'Do you have a store in Paris?' }));
    expect(envelope.data?.[0]?.llm_answer).toBe('No idea, sorry.');
    expect(envelope.data?.[1]).toMatchObject({ answer_type: 'UNKNOWN', success: false });
  });
});

describe('an empty knowledge directory', () => {
  it('leaves questions to the model', async () => {
    const directory = knowledgeDirectory({});
    const bridge = await harness.start({ env: harness.llmEnv({ KNOWLEDGE_DIR: directory }) });
    const { envelope } = await bridge.ask(round({ question: 'How long does shipping take?' }));
    expect(envelope.data?.[0]?.llm_answer).toBe('You said: How long does shipping take?.');
    expect(envelope.data?.[1]).toMatchObject({ answer_type: 'GENERAL' });
    expect(harness.llm.calls.at(-1)!.body.messages[0]!.content).not.toContain('Knowledge:');
  });
});

describe('re-indexing', () => {
  it('picks up an edited file while running', async () => {
    const directory = knowledgeDirectory({ 'faq.yaml': FAQ });
    const bridge = await harness.start({ env: { KNOWLEDGE_DIR: directory } });
    writeFileSync(join(directory, 'faq.yaml'), FAQ.replace('3 to 5 business days', '2 to 4 business days'));
    await waitFor(async () => {
      const { envelope } = await bridge.ask(round({ question: 'How long does shipping take?' }));
      return envelope.data?.[0]?.llm_answer.includes('2 to 4 business days') ?? false;
    }, 'the edited answer');
  });

  it('starts searching a knowledge base that was empty once files arrive', async () => {
    const directory = knowledgeDirectory({});
    const bridge = await harness.start({ env: { KNOWLEDGE_DIR: directory, KNOWLEDGE_WATCH: 'false' } });
    const before = await bridge.ask(round({ question: 'How long does shipping take?' }));
    expect(before.envelope.data?.[1]).toMatchObject({ answer_type: 'UNKNOWN', success: false });
    writeFileSync(join(directory, 'faq.yaml'), FAQ);
    await bridge.runtime.reindexKnowledge();
    const after = await bridge.ask(round({ question: 'How long does shipping take?' }));
    expect(after.envelope.data?.[1]).toMatchObject({ answer_type: 'QA_DIRECT' });
  });

  it('keeps a file’s previous entries when an edit breaks it, and reports the mistake', async () => {
    const directory = knowledgeDirectory({
      'faq.yaml': FAQ,
      'more.yaml': '- id: extra\n  question: Q?\n  answer: A.\n',
    });
    const bridge = await harness.start({ env: { KNOWLEDGE_DIR: directory, KNOWLEDGE_WATCH: 'false' } });
    writeFileSync(join(directory, 'faq.yaml'), '- id: broken\n  question: no answer here\n');
    writeFileSync(join(directory, 'more.yaml'), '- id: ship-time\n  question: Duplicate?\n  answer: A.\n');
    const report = await bridge.runtime.reindexKnowledge();
    expect(report.errors).toEqual([
      { path: 'faq.yaml', error: 'faq.yaml (entry 0.answer): is required' },
      { path: 'more.yaml', error: 'more.yaml: id "ship-time" is already used in faq.yaml (its last good version)' },
    ]);
    const { envelope } = await bridge.ask(round({ question: 'How long does shipping take?' }));
    expect(envelope.data?.[0]?.llm_answer).toContain('3 to 5 business days');
  });

  it('lets an entry move from one file to another in the same edit', async () => {
    const directory = knowledgeDirectory({ 'faq.yaml': FAQ, 'more.yaml': '' });
    const bridge = await harness.start({ env: { KNOWLEDGE_DIR: directory, KNOWLEDGE_WATCH: 'false' } });
    const moved = '- id: ship-time\n  question: How long does shipping take?\n  answer: Moved answer.\n';
    writeFileSync(join(directory, 'faq.yaml'), '');
    writeFileSync(join(directory, 'more.yaml'), moved);
    const report = await bridge.runtime.reindexKnowledge();
    expect(report).toMatchObject({ errors: [], indexed: ['faq.yaml', 'more.yaml'], counts: { faq: 1 } });
    const { envelope } = await bridge.ask(round({ question: 'How long does shipping take?' }));
    expect(envelope.data?.[0]?.llm_answer).toBe('Moved answer.');
  });

  it('drops the entries of a deleted file', async () => {
    const directory = knowledgeDirectory({ 'faq.yaml': FAQ, 'docs/warranty.md': DOCUMENT });
    const bridge = await harness.start({ env: { KNOWLEDGE_DIR: directory, KNOWLEDGE_WATCH: 'false' } });
    rmSync(join(directory, 'faq.yaml'));
    const report = await bridge.runtime.reindexKnowledge();
    expect(report).toMatchObject({ removed: ['faq.yaml'], counts: { faq: 0, passage: 2 } });
  });
});

describe('a knowledge directory that is not there', () => {
  it('leaves the index as it was, at start and while running, and a directory swapped in is watched', async () => {
    const directory = knowledgeDirectory({ 'live/faq.yaml': FAQ });
    const live = join(directory, 'live');
    const first = await harness.start({ env: { KNOWLEDGE_DIR: live, KNOWLEDGE_WATCH: 'false' } });
    await first.stop();

    // The same database, its directory gone (a typo, an unmounted volume): the index is kept, and said so.
    const lines: Array<Record<string, unknown>> = [];
    const shipping = round({ question: 'How long does shipping take?' });
    const bridge = await harness.start({
      databasePath: first.databasePath,
      env: { KNOWLEDGE_DIR: join(directory, 'not-mounted'), LOG_LEVEL: 'info' },
      logWrite: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
    });
    expect((await bridge.ask(shipping)).envelope.data?.[0]?.llm_answer).toContain('3 to 5 business days');
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'knowledge directory missing: the knowledge index is left as it was',
        faq: 3,
      }),
    );
    await expect(bridge.runtime.reindexKnowledge()).rejects.toThrow(/not-mounted \(KNOWLEDGE_DIR\) does not exist/);
    await bridge.stop();

    // Watched: the directory moved away keeps the index; an edited copy renamed into its place is indexed.
    const watchedLines: string[] = [];
    const watched = await harness.start({
      databasePath: first.databasePath,
      env: { KNOWLEDGE_DIR: live, LOG_LEVEL: 'info' },
      knowledgeRecheckMs: 50,
      logWrite: (line) => watchedLines.push(line),
    });
    renameSync(live, join(directory, 'old'));
    await waitFor(
      () =>
        watchedLines.some((line) =>
          line.includes('knowledge directory missing: the knowledge index is left as it was'),
        ),
      'the watcher to find the directory gone',
    );
    const ask = async () => (await watched.ask(round({ question: 'How long does shipping take?' }))).envelope;
    expect((await ask()).data?.[0]?.llm_answer).toContain('3 to 5 business days');
    mkdirSync(join(directory, 'next'));
    writeFileSync(join(directory, 'next', 'faq.yaml'), FAQ.replace('3 to 5 business days', '2 to 4 business days'));
    renameSync(join(directory, 'next'), live);
    await waitFor(async () => (await ask()).data?.[0]?.llm_answer.includes('2 to 4') ?? false, 'the new directory');
    // And the directory swapped in is watched itself.
    writeFileSync(join(live, 'faq.yaml'), FAQ.replace('3 to 5 business days', '6 to 8 business days'));
    await waitFor(async () => (await ask()).data?.[0]?.llm_answer.includes('6 to 8') ?? false, 'an edit in it');
  });
});

describe('synonyms', () => {
  it('let a question in the visitor’s words find the entry in the shop’s words', async () => {
    const directory = knowledgeDirectory({ 'faq.yaml': FAQ, 'synonyms.yaml': '- [gift card, voucher]\n' });
    const bridge = await harness.start({ env: { KNOWLEDGE_DIR: directory } });
    const { envelope } = await bridge.ask(round({ question: 'can I buy a voucher?' }));
    expect(envelope.data?.[0]?.llm_answer).toBe('Yes, gift cards come in 100, 200 and 500 yuan.');
  });
});

describe('npm run knowledge', () => {
  const knowledgeCli = (env: Record<string, string>, ...args: string[]) => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/knowledge.ts', ...args], {
      cwd: new URL('..', import.meta.url).pathname,
      env: { PATH: process.env.PATH ?? '', ...env },
      encoding: 'utf8',
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  it('re-indexes, reports mistakes, and shows what a question finds', () => {
    const directory = knowledgeDirectory({ 'faq.yaml': FAQ, 'docs/warranty.md': DOCUMENT, 'bad.yaml': 'id: [' });
    const env = { KNOWLEDGE_DIR: directory, DATABASE_PATH: join(directory, 'bridge.db') };
    const reindex = knowledgeCli(env, 'reindex');
    expect(reindex.code).toBe(1);
    expect(reindex.stdout).toContain('3 files, 2 indexed, 0 removed, 0 unchanged');
    expect(reindex.stdout).toContain('now: 3 FAQ entries, 2 passages');
    expect(reindex.stdout).toMatch(/^error: bad\.yaml: /m);

    const search = knowledgeCli(env, 'search', 'how long does shipping take');
    expect(search.code).toBe(0);
    expect(search.stdout).toMatch(/^ {2}1\.00 {2}ship-time {2}How long does shipping take\?$/m);
    expect(search.stdout).toContain('the best one here would be');

    expect(JSON.parse(knowledgeCli(env, 'stats', '--json').stdout)).toEqual({ faq: 3, passage: 2 });
    expect(knowledgeCli(env, 'search')).toMatchObject({ code: 2, stderr: expect.stringContaining('needs a question') });
  });

  it('refuses to re-index or export a directory that is not there, rather than empty the index', () => {
    const directory = knowledgeDirectory({ 'faq.yaml': FAQ });
    const env = { KNOWLEDGE_DIR: directory, DATABASE_PATH: join(directory, 'bridge.db') };
    expect(knowledgeCli(env, 'reindex').code).toBe(0);
    const missing = { ...env, KNOWLEDGE_DIR: join(directory, 'typo') };
    const reindex = knowledgeCli(missing, 'reindex');
    expect(reindex).toMatchObject({ code: 1, stderr: expect.stringContaining('typo (KNOWLEDGE_DIR) does not exist') });
    expect(knowledgeCli(missing, 'export-sql', join(directory, 'out.sql')).code).toBe(1);
    expect(JSON.parse(knowledgeCli(env, 'stats', '--json').stdout)).toEqual({ faq: 3, passage: 0 });
  });

  it("exports for D1 with the re-index's rule for an id two files use: the first by path keeps it", () => {
    const { sql, errors } = knowledgeAsSql(
      [
        { path: 'b.yaml', content: FAQ },
        { path: 'a.yaml', content: FAQ },
      ],
      0,
    );
    expect(errors).toEqual([expect.stringMatching(/^b\.yaml: id "[^"]+" is already used in a\.yaml$/)]);
    expect(sql).toContain("INSERT INTO knowledge_files (path, hash, entry_count, indexed_at) VALUES ('a.yaml'");
    expect(sql).not.toContain("VALUES ('b.yaml'");
  });

  it('lists FAQ entries as routing weighs them: by confidence, from the same candidates', () => {
    // BM25 ranks this question's own entry below entries sharing its commoner words; routing answers it directly.
    const directory = mkdtempSync(join(tmpdir(), 'knowledge-cli-'));
    const env = { KNOWLEDGE_DIR: 'knowledge', DATABASE_PATH: join(directory, 'bridge.db') };
    expect(knowledgeCli(env, 'reindex').code).toBe(0);
    const search = knowledgeCli(env, 'search', 'Do you ship internationally?');
    rmSync(directory, { recursive: true, force: true });
    const firstFaq = search.stdout.split('\n')[1];
    expect(firstFaq).toMatch(/^ {2}1\.00 {2}\S+ {2}Do you ship internationally\?$/);
  });
});
