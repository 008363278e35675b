import { readFile } from 'node:fs/promises';
import { parseBridgeConfigFile, type BridgeConfigFile } from './bridge-config-file.js';

/** Reads the config file; a missing file means no workflows (the defaults), a broken one throws. */
export async function loadBridgeConfigFile(
  path: string,
  env: Record<string, string | undefined>,
): Promise<BridgeConfigFile> {
  let source: string;
  try {
    source = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return parseBridgeConfigFile('', path, env);
    throw error;
  }
  return parseBridgeConfigFile(source, path, env);
}
