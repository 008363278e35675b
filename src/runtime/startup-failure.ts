import { ConfigError, type Config } from '../config.js';
import { ConfigFileError } from '../config-file/bridge-config-file.js';
import { DatabaseOpenError } from '../store/open-node-database.js';

/**
 * What an operator reads when the service cannot start, naming the setting to fix; undefined for an
 * error nobody foresaw, which keeps its stack.
 */
export function startupFailure(error: unknown): string | undefined {
  if (error instanceof ConfigError || error instanceof DatabaseOpenError) return error.message;
  if (error instanceof ConfigFileError) return `Invalid config file:\n${error.message}`;
  return undefined;
}

/** Why the HTTP server could not listen, in terms of `HOST` and `PORT`. */
export function listenFailure(error: NodeJS.ErrnoException, config: Pick<Config, 'HOST' | 'PORT'>): string {
  const where = `HOST=${config.HOST} PORT=${config.PORT}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return `cannot listen on ${where}: the port is in use (another bridge, or another service?)`;
    case 'EACCES':
      return `cannot listen on ${where}: not permitted (ports below 1024 need privileges; use a higher PORT)`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return `cannot listen on ${where}: ${config.HOST} is not an address of this machine (0.0.0.0 listens on all)`;
    default:
      return `cannot listen on ${where}: ${error.message}`;
  }
}
