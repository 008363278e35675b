import { extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';

const listOfWords = z.preprocess(
  (value) => (typeof value === 'string' ? value.split(/[|;,，；]/) : value),
  z.array(z.string().trim()).transform((words) => words.filter(Boolean)),
);
const optionalText = z.preprocess(
  (value) => (value === '' || value === null ? undefined : value),
  z.string().trim().optional(),
);

/**
 * One batch question, as a CSV row or a JSONL line. Header names follow the spreadsheet a Sobot admin keeps:
 * `question`, and optionally `expected_answer`, `keywords` (separated by | ; or ,), `expected_type` (an
 * answer_type such as QA_DIRECT) and `questionid`.
 */
export const batchCaseSchema = z
  .object({
    question: z.string().trim().min(1, { error: 'question is empty' }),
    questionid: optionalText,
    expected_answer: optionalText,
    expected: optionalText,
    keywords: listOfWords.optional(),
    expected_type: optionalText,
    answer_type: optionalText,
  })
  .transform(({ question, questionid, expected_answer, expected, keywords, expected_type, answer_type }) => ({
    question,
    questionid,
    expectedAnswer: expected_answer ?? expected,
    keywords: keywords?.length ? keywords : undefined,
    expectedAnswerType: (expected_type ?? answer_type)?.toUpperCase(),
  }));
export type BatchCase = z.output<typeof batchCaseSchema>;

export class BatchFileError extends Error {}

/** Reads a CSV (with a header row) or JSONL file of questions; errors name the line. */
export function parseBatchCases(text: string, fileName: string): Array<BatchCase & { questionid: string }> {
  const rows = isJsonLines(text, fileName) ? jsonLines(text, fileName) : csvRows(text, fileName);
  if (rows.length === 0) throw new BatchFileError(`${fileName}: no questions`);
  return rows.map(({ line, row }, index) => {
    const parsed = batchCaseSchema.safeParse(row);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new BatchFileError(`${fileName}:${line}: ${issue.path.join('.') || 'row'}: ${issue.message}`);
    }
    return { ...parsed.data, questionid: parsed.data.questionid ?? `q${index + 1}` };
  });
}

function isJsonLines(text: string, fileName: string): boolean {
  const extension = extname(fileName).toLowerCase();
  if (extension === '.jsonl' || extension === '.ndjson') return true;
  if (extension === '.csv') return false;
  return text.trimStart().startsWith('{');
}

function jsonLines(text: string, fileName: string): Array<{ line: number; row: unknown }> {
  return text.split(/\r?\n/).flatMap((content, index) => {
    if (!content.trim()) return [];
    try {
      return [{ line: index + 1, row: JSON.parse(content) as unknown }];
    } catch {
      throw new BatchFileError(`${fileName}:${index + 1}: not a JSON object`);
    }
  });
}

function csvRows(text: string, fileName: string): Array<{ line: number; row: unknown }> {
  try {
    const records = parseCsv(text, {
      columns: (header: string[]) => header.map((name) => name.trim().toLowerCase().replace(/\s+/g, '_')),
      skip_empty_lines: true,
      bom: true,
      trim: true,
      info: true,
    }) as Array<{ record: unknown; info: { lines: number } }>;
    return records.map(({ record, info }) => ({ line: info.lines, row: record }));
  } catch (error) {
    throw new BatchFileError(`${fileName}: ${(error as Error).message}`);
  }
}
