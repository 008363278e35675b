export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export const noopLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** A logger that adds `bound` to every line, e.g. a request's id; a line's own fields win. */
export function withFields(logger: Logger, bound: LogFields): Logger {
  const log = (method: (message: string, fields?: LogFields) => void) => (message: string, fields?: LogFields) =>
    method(message, fields ? { ...bound, ...fields } : bound);
  return {
    debug: log(logger.debug),
    info: log(logger.info),
    warn: log(logger.warn),
    error: log(logger.error),
  };
}

/** An error as log fields, without leaking it into responses. */
export function errorFields(error: unknown): LogFields {
  if (error instanceof Error) return { error: error.message, errorName: error.name, stack: error.stack };
  return { error: String(error) };
}
