import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, parseConfig, type Config } from '../config.js';
import { openNodeDatabase, type NodeDatabase } from '../store/open-node-database.js';

export interface CliContext<Values> {
  command: string;
  args: string[];
  values: Values;
  config: Config;
  database: NodeDatabase;
  /** Prints a usage mistake with the usage text; returns exit code 2. */
  usageError(message: string): number;
}

/**
 * The frame every operator command shares: options parsed, `--help`, configuration from the environment,
 * the database opened (and migrated) and closed, exit codes 0 (done), 1 (failed), 2 (usage or configuration).
 */
export async function runCli<Options extends NonNullable<ParseArgsConfig['options']>>(
  usage: string,
  options: Options,
  handle: (
    context: CliContext<ReturnType<typeof parseArgs<{ options: Options; allowPositionals: true }>>['values']>,
  ) => Promise<number>,
): Promise<void> {
  const usageError = (message: string) => {
    console.error(`${message}\n\n${usage}`);
    return 2;
  };
  try {
    const { positionals, values } = parseArgs({
      args: process.argv.slice(2),
      allowPositionals: true,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
    });
    const [command, ...args] = positionals;
    if ((values as { help?: boolean }).help || !command) {
      console.log(usage);
      process.exitCode = command || (values as { help?: boolean }).help ? 0 : 2;
      return;
    }
    const config = parseConfig(process.env);
    const database = openNodeDatabase(config.DATABASE_PATH);
    try {
      process.exitCode = await handle({ command, args, values: values as never, config, database, usageError });
    } finally {
      database.close();
    }
  } catch (error) {
    // Bad configuration, or options parseArgs rejects (it throws with an ERR_PARSE_ARGS_* code).
    const isUsage =
      error instanceof ConfigError ||
      (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'));
    if (!isUsage) throw error;
    console.error((error as Error).message);
    process.exitCode = 2;
  }
}
