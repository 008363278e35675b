import { isMap, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { checkRoutes, peerSettingsSchema } from '../peers/peer-config.js';
import { checkWorkflowReferences, workflowSettingsSchema } from '../workflows/workflow-schema.js';

/**
 * The bridge's config file (BRIDGE_CONFIG, `bridge.yaml` by default): the settings that are richer than
 * environment variables — workflows and the enterprise interfaces they call.
 */
export const bridgeConfigFileSchema = workflowSettingsSchema.extend(peerSettingsSchema).superRefine((file, context) => {
  checkWorkflowReferences(file, context);
  checkRoutes(file, context);
});
export type BridgeConfigFile = z.output<typeof bridgeConfigFileSchema>;

/** The config file's problems, each `file:line: field.path: problem`; the message lists them a line each. */
export class ConfigFileError extends Error {
  override name = 'ConfigFileError';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/**
 * Parses the file's text; every mistake is reported as `file:line: field.path: problem`. `${NAME}` and
 * `${NAME:-default}` in string values are taken from `env`, so secrets (interface keys) stay out of it.
 */
export function parseBridgeConfigFile(
  source: string,
  file: string,
  env: Record<string, string | undefined> = {},
): BridgeConfigFile {
  const lines = new LineCounter();
  const document = parseDocument(source, { lineCounter: lines, prettyErrors: false });
  if (document.errors.length > 0) {
    throw new ConfigFileError(
      document.errors.map((error) => `${file}:${lines.linePos(error.pos[0]).line}: ${error.message.split('\n')[0]}`),
    );
  }
  const unset: Problem[] = [];
  const expanded = expandVariables(document.toJS() ?? {}, env, [], unset);
  const parsed = bridgeConfigFileSchema.safeParse(expanded);
  // An unset variable is the problem, not the empty value it left, which the schema may refuse as well.
  const named = new Set(unset.map((problem) => problem.path.join('.')));
  const invalid = parsed.success ? [] : parsed.error.issues.filter((issue) => !named.has(issue.path.join('.')));
  const problems = [...unset, ...invalid];
  if (problems.length === 0 && parsed.success) return parsed.data;
  throw new ConfigFileError(
    problems.slice(0, 10).map((problem) => {
      const line = lineOf(document, lines, problem.path);
      const field = problem.path.join('.');
      return `${file}${line ? `:${line}` : ''}: ${field ? `${field}: ` : ''}${problem.message}`;
    }),
  );
}

interface Problem {
  path: PropertyKey[];
  message: string;
}

/** The line of the deepest YAML node the path reaches (a missing key points at its parent). */
function lineOf(document: Document, lines: LineCounter, path: PropertyKey[]): number | undefined {
  for (let length = path.length; length >= 0; length--) {
    const node = document.getIn(path.slice(0, length) as Array<string | number>, true);
    if (node && typeof node === 'object' && 'range' in node && Array.isArray(node.range)) {
      return lines.linePos(node.range[0] as number).line;
    }
    // A pair's key holds the position when the value is a plain scalar the document kept unwrapped.
    if (length > 0 && (isMap(node) || isSeq(node))) break;
  }
  return undefined;
}

/**
 * Fills `${NAME}` and `${NAME:-default}`. A `${NAME}` whose variable is unset is a mistake (a key or URL
 * forgotten in the environment), reported in `unset`; `${NAME:-}` is how a file says empty is fine.
 */
function expandVariables(
  value: unknown,
  env: Record<string, string | undefined>,
  path: PropertyKey[],
  unset: Problem[],
): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_]\w*)(?::-([^}]*))?\}/g, (_, name: string, fallback?: string) => {
      const found = env[name] ?? fallback;
      if (found !== undefined) return found;
      unset.push({
        path,
        message: `\${${name}} is not set in the environment (write \${${name}:-} to allow it empty)`,
      });
      return '';
    });
  }
  if (Array.isArray(value)) return value.map((item, index) => expandVariables(item, env, [...path, index], unset));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, expandVariables(item, env, [...path, key], unset)]),
    );
  }
  return value;
}
