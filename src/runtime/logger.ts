export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const ranks: Record<LogLevel | 'silent', number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

/** One JSON object per line on stdout, the shape log shippers and `wrangler tail` both read. */
export function createJsonLogger(
  level: LogLevel | 'silent',
  write: (line: string) => void = (line) => console.log(line),
): Logger {
  const threshold = ranks[level];
  const log = (entryLevel: LogLevel) => (message: string, fields?: LogFields) => {
    if (ranks[entryLevel] < threshold) return;
    write(JSON.stringify({ time: new Date().toISOString(), level: entryLevel, message, ...fields }));
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

export const noopLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** An error as log fields, without leaking it into responses. */
export function errorFields(error: unknown): LogFields {
  if (error instanceof Error) return { error: error.message, errorName: error.name, stack: error.stack };
  return { error: String(error) };
}
