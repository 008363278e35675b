import { readFile } from 'node:fs/promises';
import { ConfigFileError, parseBridgeConfigFile, type BridgeConfigFile } from './bridge-config-file.js';

const DEFAULT_CONFIG_FILE = './bridge.yaml';

/**
 * Reads the config file: `path` (BRIDGE_CONFIG), which must exist, or `./bridge.yaml` when unset, whose
 * absence means no workflows, interfaces, peers or routes. A broken or unreadable file throws.
 */
export async function loadBridgeConfigFile(
  path: string | undefined,
  env: Record<string, string | undefined>,
): Promise<{ file: string; found: boolean; settings: BridgeConfigFile }> {
  const file = path ?? DEFAULT_CONFIG_FILE;
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && path === undefined) {
      return { file, found: false, settings: parseBridgeConfigFile('', file, env) };
    }
    const reason = code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new ConfigFileError([`${file} (BRIDGE_CONFIG): ${reason}`]);
  }
  return { file, found: true, settings: parseBridgeConfigFile(source, file, env) };
}
