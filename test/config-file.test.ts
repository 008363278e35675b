import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigFileError, parseBridgeConfigFile } from '../src/config-file/bridge-config-file.js';
import { interfacesOnExampleHosts } from '../src/config-file/example-hosts.js';

const sample = readFileSync(new URL('../bridge.yaml', import.meta.url), 'utf8');

function problems(source: string): string {
  try {
    parseBridgeConfigFile(source, 'bridge.yaml');
  } catch (error) {
    if (error instanceof ConfigFileError) return error.message;
    throw error;
  }
  throw new Error('expected the file to be rejected');
}

describe('the config file', () => {
  it('ships a valid sample, and an absent file means no workflows', () => {
    expect(parseBridgeConfigFile(sample, 'bridge.yaml').workflows.map((workflow) => workflow.id)).toEqual([
      'order-status',
      'product-recommendation',
      'return-request',
      'human-agent',
    ]);
    expect(parseBridgeConfigFile('', 'bridge.yaml')).toMatchObject({
      workflows: [],
      interfaces: {},
      idle_seconds: 1800,
    });
  });

  it('reports YAML syntax errors with their line', () => {
    expect(problems('idle_seconds: 60\nworkflows: []\nworkflows: []\n')).toMatch(
      /^bridge\.yaml:3: Map keys must be unique/,
    );
  });

  it('points schema mistakes at the line and field', () => {
    const broken = sample.replace(
      '        kind: ask-choice\n        prompt: What are you shopping for?',
      '        kind: ask-choise\n        prompt: What are you shopping for?',
    );
    const line = sample.split('\n').findIndex((text) => text.includes('prompt: What are you shopping for?'));
    expect(problems(broken)).toContain(
      `bridge.yaml:${line}: workflows.1.nodes.ask-activity.kind: Invalid discriminator value`,
    );
  });

  it('points dangling references, bad JSONPath and bad patterns at their line', () => {
    const line = (needle: string) => sample.split('\n').findIndex((text) => text.includes(needle)) + 1;
    expect(problems(sample.replace('next: tell-status', 'next: tel-status'))).toBe(
      `bridge.yaml:${line('next: tell-status')}: workflows.0.nodes.look-up.next: no node "tel-status" in workflow "order-status"`,
    );
    expect(problems(sample.replace('status: $.data.status', 'status: $.data[status'))).toContain(
      `bridge.yaml:${line('status: $.data.status')}: workflows.0.nodes.look-up.extract.status: is not a valid JSONPath expression`,
    );
    expect(problems(sample.replace('interface: order-lookup', 'interface: orders'))).toContain(
      'workflows.0.nodes.look-up.interface: no interface "orders" under interfaces',
    );
  });

  it("refuses an interface named like a builtin of every object, and the id the model's own offers use", () => {
    expect(problems(sample.replace('interface: order-lookup', 'interface: toString'))).toContain(
      'workflows.0.nodes.look-up.interface: no interface "toString" under interfaces',
    );
    expect(problems(sample.replace('id: order-status', 'id: assistant'))).toContain(
      'workflows.0.id: workflow id "assistant" is reserved for the choices and cards the model offers',
    );
  });

  it("names the interfaces on example domains, as the sample's are until their URLs are set", () => {
    expect(interfacesOnExampleHosts(parseBridgeConfigFile(sample, 'bridge.yaml'))).toEqual([
      'order-lookup (api.northwind.example)',
      'product-search (api.northwind.example)',
    ]);
    const own = { ORDER_API_URL: 'https://erp.shop.cn/orders', PRODUCT_API_URL: 'http://10.0.0.7/search' };
    expect(interfacesOnExampleHosts(parseBridgeConfigFile(sample, 'bridge.yaml', own))).toEqual([]);
  });

  it('fills ${NAME} and ${NAME:-default} from the environment', () => {
    const parsed = parseBridgeConfigFile(sample, 'bridge.yaml', {
      ORDER_API_URL: 'http://orders.internal/lookup',
      ORDER_API_KEY: 'k',
    });
    expect(parsed.interfaces['order-lookup']).toMatchObject({
      url: 'http://orders.internal/lookup',
      headers: { 'X-Api-Key': 'k' },
    });
    expect(parsed.interfaces['product-search']?.url).toBe('https://api.northwind.example/products/search');
  });

  it('names a ${NAME} whose variable is unset, at its line, rather than the empty value it leaves', () => {
    const file = [
      'interfaces:',
      '  lookup:',
      '    url: ${LOOKUP_URL}',
      '    headers:',
      '      X-Api-Key: ${LOOKUP_KEY}',
      '      X-Tenant: ${TENANT:-}',
    ].join('\n');
    expect(() => parseBridgeConfigFile(file, 'b.yaml', {})).toThrow(
      [
        'b.yaml:3: interfaces.lookup.url: ${LOOKUP_URL} is not set in the environment (write ${LOOKUP_URL:-} to allow it empty)',
        'b.yaml:5: interfaces.lookup.headers.X-Api-Key: ${LOOKUP_KEY} is not set in the environment (write ${LOOKUP_KEY:-} to allow it empty)',
      ].join('\n'),
    );
    const filled = parseBridgeConfigFile(file, 'b.yaml', { LOOKUP_URL: 'https://x.example/l', LOOKUP_KEY: 'k' });
    expect(filled.interfaces.lookup?.headers).toEqual({ 'X-Api-Key': 'k', 'X-Tenant': '' });
  });
});
