import type { LogFields, Logger, LogLevel } from '../../src/runtime/logger.js';

export interface CapturedLog {
  level: LogLevel;
  message: string;
  fields: LogFields | undefined;
}

/** A logger that keeps every entry, for checks such as "nothing was logged at error level". */
export function captureLogs(): Logger & { entries: CapturedLog[] } {
  const entries: CapturedLog[] = [];
  const keep = (level: LogLevel) => (message: string, fields?: LogFields) => {
    entries.push({ level, message, fields });
  };
  return { entries, debug: keep('debug'), info: keep('info'), warn: keep('warn'), error: keep('error') };
}
