import type { Hono } from 'hono';
import { ConfigFileError, parseBridgeConfigFile, type BridgeConfigFile } from '../config-file/bridge-config-file.js';
import { ConfigError, parseConfig, type Config } from '../config.js';
import { createUnconfiguredApp, type SetupFailure } from '../http/unconfigured-app.js';
import { errorFields, type Logger } from './logger.js';
import { createPinoLogger } from './pino-logger.js';

/** The app that answers when the Worker's settings do not read, and why. */
export interface Unconfigured {
  app: Hono;
  logger: Logger;
  failure: SetupFailure;
}

/** Invalid settings, or an invalid bundled config file: every problem found in either, one a line. */
class SettingsError extends Error {
  override name = 'SettingsError';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/** The settings and the bundled config file, both read before either fails: one deploy can fix all. */
export function readSettings(
  variables: Record<string, string>,
  configFileText: string,
): { config: Config; configFile: BridgeConfigFile } {
  const problems: string[] = [];
  const read = <T>(parse: () => T): T | undefined => {
    try {
      return parse();
    } catch (error) {
      // Each line names a setting or a file:line and field, and what is wrong with it; never its value.
      if (error instanceof ConfigError) problems.push(...error.problems);
      else if (error instanceof ConfigFileError) problems.push(...error.problems);
      else throw error;
      return undefined;
    }
  };
  const config = read(() => parseConfig(variables));
  const configFile = read(() => parseBridgeConfigFile(configFileText, 'bridge.yaml', variables));
  if (!config || !configFile) throw new SettingsError(problems);
  return { config, configFile };
}

/**
 * Node refuses to start with a bad setting; a Worker has no start, so each request is told instead. The
 * problems go to the caller too: they name settings and fields, and no setting's value (secrets among them).
 */
export function unconfigured(error: unknown): Unconfigured {
  // The settings would choose the log level; these lines are errors, which any level shows.
  const logger = createPinoLogger({ level: 'info', redactVisitorText: true });
  const failure: SetupFailure =
    error instanceof SettingsError
      ? {
          message: `invalid settings; fix them and deploy again: ${error.problems.join('; ')}`,
          logMessage: 'request refused: invalid settings',
          logFields: { problems: error.problems },
        }
      : {
          message: 'internal error; the details are in the service log',
          logMessage: 'request refused: the Worker could not be set up',
          logFields: errorFields(error),
        };
  return { app: createUnconfiguredApp(failure, logger), logger, failure };
}
