import type { Logger } from '../runtime/logger.js';
import type { BridgeConfigFile } from './bridge-config-file.js';

// Names reserved for documentation (RFC 2606): they never resolve, so a call to one can never succeed.
const EXAMPLE_HOST = /(^|\.)(example|invalid)$|(^|\.)example\.(com|net|org)$/;

/**
 * Enterprise interfaces whose URL is on an example domain, as `name (host)`: the sample `bridge.yaml`'s are, so a
 * deployment still on the sample answers visitors with the sample shop's workflows, whose calls all fail.
 */
export function interfacesOnExampleHosts(settings: BridgeConfigFile): string[] {
  return Object.entries(settings.interfaces)
    .map(([name, definition]) => ({ name, host: new URL(definition.url).hostname }))
    .filter(({ host }) => EXAMPLE_HOST.test(host))
    .map(({ name, host }) => `${name} (${host})`);
}

/** Says so at start, once: the service runs, and every such call takes its node's `on_error` branch. */
export function warnOfExampleHosts(settings: BridgeConfigFile, logger: Logger): void {
  const interfaces = interfacesOnExampleHosts(settings);
  if (interfaces.length === 0) return;
  logger.warn('enterprise interfaces on example domains, which never resolve: replace the sample bridge.yaml', {
    interfaces,
  });
}
