/**
 * A Worker's settings as the configuration reads them: text, as in a process's environment.
 *
 * Why not only strings: wrangler hands a `[vars]` value written without quotes (`LLM_MAX_CONCURRENCY = 4`,
 * `LLM_TOOLS = false`) to the Worker as that JSON value. Dropping it would let the default apply without a
 * word. Bindings (D1, KV, services) are objects and are not settings.
 */
/**
 * Settings a Worker has no use for: it has no port, file system or process to stop, bundles `bridge.yaml` at build
 * time and reads its knowledge from D1. Set on a Worker, they are a mistake worth a warning, not a failed start.
 */
export const NODE_ONLY_SETTINGS = [
  'PORT',
  'HOST',
  'DATABASE_PATH',
  'BRIDGE_CONFIG',
  'KNOWLEDGE_DIR',
  'KNOWLEDGE_WATCH',
  'SHUTDOWN_GRACE_MS',
  'CALLBACK_POLL_INTERVAL_MS',
] as const;

export function workerVariables(env: Record<string, unknown>): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (typeof value === 'string') variables[name] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') variables[name] = String(value);
  }
  return variables;
}
