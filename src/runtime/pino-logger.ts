import pino, { type DestinationStream } from 'pino';
import type { Config } from '../config.js';
import type { LogFields, Logger, LogLevel } from './logger.js';

export interface LogSettings {
  level: Config['LOG_LEVEL'];
  /** Replace the visitor's words (questions, answers) in every line. */
  redactVisitorText: boolean;
}

export const REDACTED = '[redacted]';

// Field names that carry credentials, at a line's top level or in its `headers`. Redaction works on
// names, so code never logs a secret under another name. (Wildcard paths such as `*.token` would cover
// any object, but cost pino several times the rest of the line; no line nests secrets elsewhere.)
const SECRET_FIELDS = [
  'authorization',
  'cookie',
  'token',
  'apiKey',
  'api_key',
  'appKey',
  'app_key',
  'secret',
  'password',
  'sign',
];
// The visitor's own words, what was said back to them, and what the model and the customer's interfaces made of
// them: a tool call's arguments (a hand-over summary, a typed answer), a refused click's value, an interface's reply.
const VISITOR_TEXT_FIELDS = ['question', 'answer', 'showQuestion', 'text', 'arguments', 'clicked', 'reply'];

/**
 * pino behind the app's Logger: one JSON object per line (`time`, `level`, `message`, then the fields).
 * On Node it writes to stdout, or to `write` when given. In workerd, wrangler bundles pino's browser
 * build, which ignores the destination and hands each line's object to `browser.write`, with the same
 * redaction and level names; there it goes to `console.log`, which `wrangler tail` reads.
 */
export function createPinoLogger(settings: LogSettings, write?: (line: string) => void): Logger {
  const label = (level: string) => ({ level });
  const paths = [
    ...SECRET_FIELDS,
    ...SECRET_FIELDS.map((field) => `headers.${field}`),
    ...(settings.redactVisitorText ? VISITOR_TEXT_FIELDS : []),
  ];
  const emit = write ?? ((line: string) => console.log(line));
  const options: pino.LoggerOptions = {
    level: settings.level,
    messageKey: 'message',
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: label },
    redact: { paths, censor: REDACTED },
    browser: { write: (line) => emit(JSON.stringify(line)), formatters: { level: label } },
  };
  const destination: DestinationStream | undefined = write
    ? { write: (line) => write(line.trimEnd()) }
    : // Written synchronously, as console.log is: an asynchronous stdout loses the last lines when the
      // process exits or crashes, which are the lines an operator reads first. (Not in workerd, whose
      // browser build of pino has no destinations and logs through console.log.)
      pino.destination?.({ dest: 1, sync: true });
  const logger = destination ? pino(options, destination) : pino(options);
  // pino's methods read `this`; the app passes ours around unbound.
  const at = (level: LogLevel) => (message: string, fields?: LogFields) => logger[level](fields ?? {}, message);
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
