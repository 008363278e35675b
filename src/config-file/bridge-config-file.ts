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

export class ConfigFileError extends Error {
  override name = 'ConfigFileError';
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
      document.errors
        .map((error) => `${file}:${lines.linePos(error.pos[0]).line}: ${error.message.split('\n')[0]}`)
        .join('\n'),
    );
  }
  const parsed = bridgeConfigFileSchema.safeParse(expandVariables(document.toJS() ?? {}, env));
  if (parsed.success) return parsed.data;
  throw new ConfigFileError(
    parsed.error.issues
      .slice(0, 10)
      .map((issue) => {
        const line = lineOf(document, lines, issue.path);
        const field = issue.path.join('.');
        return `${file}${line ? `:${line}` : ''}: ${field ? `${field}: ` : ''}${issue.message}`;
      })
      .join('\n'),
  );
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

function expandVariables(value: unknown, env: Record<string, string | undefined>): unknown {
  if (typeof value === 'string') {
    return value.replace(
      /\$\{([A-Za-z_]\w*)(?::-([^}]*))?\}/g,
      (_, name: string, fallback?: string) => env[name] ?? fallback ?? '',
    );
  }
  if (Array.isArray(value)) return value.map((item) => expandVariables(item, env));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, expandVariables(item, env)]));
  }
  return value;
}
