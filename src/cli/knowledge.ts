import { writeFile } from 'node:fs/promises';
import { knowledgeSettings } from '../config.js';
import { knowledgeAsSql } from '../knowledge/export-knowledge-sql.js';
import { createDrizzleKnowledgeStore } from '../knowledge/drizzle-knowledge-store.js';
import { MissingKnowledgeDirectory, readKnowledgeDirectory } from '../knowledge/read-knowledge-directory.js';
import { findForQuestion } from '../knowledge/knowledge-source.js';
import { syncKnowledge } from '../knowledge/sync-knowledge.js';
import { systemClock } from '../runtime/clock.js';
import { noopLogger } from '../runtime/logger.js';
import { runCli } from './run-cli.js';

const USAGE = `Work with the knowledge base: KNOWLEDGE_DIR indexed into the database at DATABASE_PATH.

Usage: npm run knowledge -- <command> [options]

Commands:
  reindex            index new and changed files now, drop removed ones (a running service sees it at once)
  search <question>  what a visitor's question finds: FAQ entries and passages, with confidence
  stats              how many FAQ entries and passages are indexed
  export-sql <file>  write KNOWLEDGE_DIR as SQL for D1: wrangler d1 execute DB --remote --file <file>

Options:
  --json             machine-readable output`;

await runCli(USAGE, { json: { type: 'boolean', default: false } }, async (context) => {
  const { command, args, values, config, database, usageError } = context;
  const store = createDrizzleKnowledgeStore(database.db, database.atomic);
  const print = (human: string, data: unknown) => console.log(values.json ? JSON.stringify(data, null, 2) : human);
  // A missing directory is a mistake to report, not an empty knowledge base to index.
  const readFiles = () =>
    readKnowledgeDirectory(config.KNOWLEDGE_DIR).catch((error: unknown) => {
      if (!(error instanceof MissingKnowledgeDirectory)) throw error;
      console.error(`error: ${error.message}`);
      return undefined;
    });
  switch (command) {
    case 'reindex': {
      const files = await readFiles();
      if (!files) return 1;
      const report = await syncKnowledge(files, store, { clock: systemClock, logger: noopLogger });
      const lines = [
        `${config.KNOWLEDGE_DIR}: ${files.length} files, ${report.indexed.length} indexed, ${report.removed.length} removed, ${report.unchanged} unchanged`,
        `now: ${report.counts.faq} FAQ entries, ${report.counts.passage} passages`,
        ...report.errors.map(({ error }) => `error: ${error}`),
      ];
      print(lines.join('\n'), report);
      return report.errors.length > 0 ? 1 : 0;
    }
    case 'search': {
      const question = args.join(' ').trim();
      if (!question) return usageError('search needs a question, e.g. `search "how long is delivery"`');
      const settings = knowledgeSettings(config);
      const found = await findForQuestion(store, question, Math.max(3, settings.maxPassages));
      const matches = { faq: found.faq.slice(0, 5), passages: found.passages };
      const line = (hit: (typeof matches.faq)[number]) =>
        `  ${hit.confidence.toFixed(2)}  ${hit.entry.id}  ${hit.entry.title}`;
      const direct = matches.faq.some((hit) => hit.confidence >= settings.faqDirectThreshold);
      print(
        [
          `FAQ (answered directly at confidence ≥ ${settings.faqDirectThreshold}${direct ? ': the best one here would be' : ''}):`,
          ...matches.faq.map(line),
          'Passages:',
          ...matches.passages.map(line),
        ].join('\n'),
        matches,
      );
      return 0;
    }
    case 'export-sql': {
      const target = args[0];
      if (!target) return usageError('export-sql needs a file name, e.g. `export-sql knowledge.sql`');
      const files = await readFiles();
      if (!files) return 1;
      const { sql, errors } = knowledgeAsSql(files, Date.now());
      await writeFile(target, sql);
      print(
        [
          `${files.length - errors.length} of ${files.length} files written to ${target}`,
          ...errors.map((error) => `error: ${error}`),
        ].join('\n'),
        { file: target, files: files.length, errors },
      );
      return errors.length > 0 ? 1 : 0;
    }
    case 'stats': {
      const counts = await store.counts();
      print(`${counts.faq} FAQ entries, ${counts.passage} passages`, counts);
      return 0;
    }
    default:
      return usageError(`unknown command "${command}"`);
  }
});
