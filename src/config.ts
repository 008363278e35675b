import { z } from 'zod';
import type { LogSettings } from './runtime/pino-logger.js';
import { httpUrl } from './util/http-url.js';

const DEFAULT_SYSTEM_PROMPT = [
  'You are {{robot_name}}, a customer-service assistant.',
  '{{robot_remark}}',
  'Answer the visitor briefly and politely, in the language of their question.',
  'If you do not know the answer, say so and offer to hand over to a human agent.',
  '{{visitor_facts}}',
].join('\n');

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);
const optionalText = z.preprocess(emptyAsUndefined, z.string().optional());
// A secret stored with `echo` (a Kubernetes secret, `wrangler secret put` from a pipe) ends in a line break, which
// would fail every comparison and, in a header, every call: no token or key has whitespace at its ends.
const trimmed = (value: unknown) => (typeof value === 'string' ? emptyAsUndefined(value.trim()) : value);
const secret = z.preprocess(trimmed, z.string().optional());
const url = z.preprocess(emptyAsUndefined, httpUrl.optional());
// Plain decimals only: `z.coerce.number` would also read `0x1F90`, `1e3` or `Infinity` as numbers.
const decimal = (pattern: RegExp) => (value: unknown) => {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  return text === '' ? undefined : pattern.test(text) ? Number(text) : value;
};
const fraction = (fallback: number) =>
  z.preprocess(
    decimal(/^\d*\.?\d+$/),
    z.number({ error: 'must be a number from 0 to 1, e.g. 0.6' }).min(0).max(1).default(fallback),
  );
// A typo such as `LLM_TOOLS=ture` must stop the service, not quietly switch the setting off.
const readFlag = (value: unknown) => {
  if (value === '') return undefined;
  if (typeof value !== 'string') return value;
  if (/^\s*(1|true|yes|on)\s*$/i.test(value)) return true;
  if (/^\s*(0|false|no|off)\s*$/i.test(value)) return false;
  return value;
};
const flag = (fallback: boolean) =>
  z.preprocess(readFlag, z.boolean({ error: 'must be true or false (also 1/0, yes/no, on/off)' }).default(fallback));
// Each check words its own problem (an `error` given to `z.number` alone would word them all). The range is checked
// first and ends the checks: `int` also refuses whole numbers past 2^53, which are out of range, not fractions.
const integer = (fallback: number, min: number, max: number) =>
  z.preprocess(
    decimal(/^-?\d+$/),
    z
      .number({ error: 'must be a whole number' })
      .min(min, { error: `must be at least ${min}`, abort: true })
      .max(max, { error: `must be at most ${max}`, abort: true })
      .int('must be a whole number')
      .default(fallback),
  );

/**
 * Everything the service reads from its environment, validated once at boot.
 * The entry passes a plain record (process.env or a Worker's env); besides this, only the config file's
 * `${NAME}` placeholders read it, from the record the entry hands the runtime.
 */
export const configSchema = z
  .object({
    PORT: integer(8787, 0, 65535),
    HOST: z.preprocess(emptyAsUndefined, z.string().default('0.0.0.0')),
    DATABASE_PATH: z.preprocess(emptyAsUndefined, z.string().default('./data/bridge.db')),
    LOG_LEVEL: z.preprocess(
      (value) => (typeof value === 'string' ? trimmed(value.toLowerCase()) : value),
      z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
    ),
    // Secrets are always redacted; the visitor's words only when the operator's policy says so.
    LOG_REDACT_VISITOR_TEXT: flag(false),
    METRICS_TOKEN: secret,

    WEBHOOK_TOKEN: secret,
    // The admin console is served only with a token; a short one would be guessable from the login form.
    ADMIN_TOKEN: z.preprocess(
      trimmed,
      z.string().min(16, 'must be at least 16 characters (e.g. `openssl rand -hex 32`)').optional(),
    ),

    OPENAI_API_KEY: secret,
    OPENAI_BASE_URL: url,
    OPENAI_MODEL: z.preprocess(emptyAsUndefined, z.string().default('gpt-4o-mini')),
    OPENAI_DEBUG_MODEL: optionalText,
    OPENAI_MAX_RETRIES: integer(1, 0, 5),
    SYSTEM_PROMPT: z.preprocess(emptyAsUndefined, z.string().default(DEFAULT_SYSTEM_PROMPT)),
    DEBUG_SYSTEM_PROMPT: optionalText,

    WELCOME_TEXT: z.preprocess(emptyAsUndefined, z.string().default('Hello! How can I help you today?')),
    FALLBACK_TEXT: z.preprocess(
      emptyAsUndefined,
      z.string().default("Sorry, I can't answer that right now. Please try again, or ask for a human agent."),
    ),

    LLM_FIRST_TOKEN_TIMEOUT_MS: integer(15_000, 100, 600_000),
    LLM_TOTAL_TIMEOUT_MS: integer(60_000, 100, 1_800_000),
    CONTEXT_WINDOW_SECONDS: integer(1800, 0, 30 * 86_400),
    CONTEXT_MAX_TURNS: integer(10, 0, 100),
    DUPLICATE_WAIT_MS: integer(65_000, 0, 1_800_000),
    SHUTDOWN_GRACE_MS: integer(10_000, 0, 300_000),
    // Rounds (by when they came), their finished callbacks, and conversations and peer sessions idle this many
    // days are deleted (`prune-expired-rows.ts`); 0 keeps everything.
    RETENTION_DAYS: integer(30, 0, 36_500),

    SOBOT_APPID: secret,
    SOBOT_APP_KEY: secret,
    // The document gives the token API and the callbacks on different hosts. Each URL can be set; SOBOT_BASE_URL
    // moves all three; unset, they are the document's own (`sobotEndpoints`).
    SOBOT_BASE_URL: url,
    SOBOT_TOKEN_URL: url,
    SOBOT_COPILOT_CALLBACK_URL: url,
    SOBOT_BATCH_CALLBACK_URL: url,

    CALLBACK_MAX_ATTEMPTS: integer(20, 1, 1000),
    CALLBACK_MAX_AGE_SECONDS: integer(86_400, 60, 30 * 86_400),
    CALLBACK_TIMEOUT_MS: integer(10_000, 100, 120_000),
    CALLBACK_RETRY_BASE_MS: integer(2_000, 1, 3_600_000),
    CALLBACK_RETRY_MAX_MS: integer(600_000, 1, 86_400_000),
    CALLBACK_POLL_INTERVAL_MS: integer(5_000, 10, 3_600_000),

    LLM_MAX_CONCURRENCY: integer(16, 1, 10_000),
    // Some OpenAI-compatible servers reject `tools`; without them the model only answers in text.
    LLM_TOOLS: flag(true),
    // Unset: ./bridge.yaml if there is one. Set: that file, which must exist (a typo must not start a bare bridge).
    BRIDGE_CONFIG: optionalText,

    // The sample knowledge ships in ./knowledge; an empty directory means no knowledge base, a missing one
    // leaves the index as it was (`node-knowledge.ts`).
    KNOWLEDGE_DIR: z.preprocess(emptyAsUndefined, z.string().default('./knowledge')),
    KNOWLEDGE_WATCH: flag(true),
    KNOWLEDGE_FAQ_THRESHOLD: fraction(0.6),
    KNOWLEDGE_SUGGEST_THRESHOLD: fraction(0.25),
    KNOWLEDGE_MAX_PASSAGES: integer(3, 0, 20),
    KNOWLEDGE_GROUNDED_THRESHOLD: fraction(0.5),
  })
  .refine((config) => config.LLM_FIRST_TOKEN_TIMEOUT_MS <= config.LLM_TOTAL_TIMEOUT_MS, {
    path: ['LLM_FIRST_TOKEN_TIMEOUT_MS'],
    message: 'must not exceed LLM_TOTAL_TIMEOUT_MS',
  })
  .refine((config) => config.CALLBACK_RETRY_BASE_MS <= config.CALLBACK_RETRY_MAX_MS, {
    path: ['CALLBACK_RETRY_BASE_MS'],
    message: 'must not exceed CALLBACK_RETRY_MAX_MS',
  })
  // The model's context is read from stored rounds: a shorter retention would cut it without a word.
  .refine((config) => config.RETENTION_DAYS === 0 || config.RETENTION_DAYS * 86_400 >= config.CONTEXT_WINDOW_SECONDS, {
    path: ['RETENTION_DAYS'],
    message: 'must be 0 (keep everything) or cover CONTEXT_WINDOW_SECONDS',
  });

export type Config = z.output<typeof configSchema>;

export interface SobotEndpoints {
  tokenUrl: string;
  copilotCallbackUrl: string;
  batchCallbackUrl: string;
}

/** The document's paths of Sobot's open-platform APIs the bridge calls (and the CLI's receiver serves). */
export const SOBOT_PATHS = {
  token: '/api/get_token',
  copilotCallback: '/text/ai-agent-open/ask/callback_list',
  batchCallback: '/text/ai-agent-open/api/kb/question_call_back',
} as const;

/** The hosts the document gives: the token API on Sobot's Singapore host, both callbacks on another. */
const DOCUMENT_HOSTS = { token: 'https://sg.sobot.io', callbacks: 'https://api-c.soboten.com' } as const;

/**
 * Sobot's URLs: each overridable; else the document's paths under SOBOT_BASE_URL when it is set (another region,
 * a test double), or under the document's own hosts.
 */
export function sobotEndpoints(config: Config): SobotEndpoints {
  const base = config.SOBOT_BASE_URL?.replace(/\/+$/, '');
  const tokenHost = base ?? DOCUMENT_HOSTS.token;
  const callbackHost = base ?? DOCUMENT_HOSTS.callbacks;
  return {
    tokenUrl: config.SOBOT_TOKEN_URL ?? `${tokenHost}${SOBOT_PATHS.token}`,
    copilotCallbackUrl: config.SOBOT_COPILOT_CALLBACK_URL ?? `${callbackHost}${SOBOT_PATHS.copilotCallback}`,
    batchCallbackUrl: config.SOBOT_BATCH_CALLBACK_URL ?? `${callbackHost}${SOBOT_PATHS.batchCallback}`,
  };
}

/** Every invalid setting, one line each (`NAME: problem`), naming no setting's value. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
  }
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = configSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
}

export function logSettings(config: Config): LogSettings {
  return { level: config.LOG_LEVEL, redactVisitorText: config.LOG_REDACT_VISITOR_TEXT };
}

export function knowledgeSettings(config: Config) {
  return {
    faqDirectThreshold: config.KNOWLEDGE_FAQ_THRESHOLD,
    suggestThreshold: config.KNOWLEDGE_SUGGEST_THRESHOLD,
    maxPassages: config.KNOWLEDGE_MAX_PASSAGES,
    groundedThreshold: config.KNOWLEDGE_GROUNDED_THRESHOLD,
  };
}
