import { createServer } from 'node:http';
import { listenOnLoopback } from './listen-on-loopback.js';
import { readBody } from './read-body.js';

/**
 * A customer's enterprise interfaces on loopback, for the sample workflows: order lookup and product
 * search. It records what the bridge sent, to check the document's fixed parameters.
 */
export interface FakeEnterprise {
  baseUrl: string;
  requests: Array<{
    path: string;
    body: Record<string, unknown>;
    headers: Record<string, string | string[] | undefined>;
  }>;
  /** Fails every request with HTTP 503 while true. */
  failing: boolean;
  close(): Promise<void>;
}

export const PRODUCTS = {
  Camping: [
    {
      sku: 'TENT-2P',
      name: 'Ridge 2P Tent',
      image: 'https://cdn.northwind.example/tent.jpg',
      price: '1299',
      currency: 'CNY',
      summary: 'Two-person, 1.9 kg',
      url: 'https://shop.northwind.example/tent',
    },
    {
      sku: 'BAG-0C',
      name: 'Ember 0°C Sleeping Bag',
      image: 'https://cdn.northwind.example/bag.jpg',
      price: '699',
      currency: 'CNY',
      summary: 'Down, packs small',
      url: 'https://shop.northwind.example/bag',
    },
  ],
  // Not showable as cards (a price that is not a number): the bridge falls back to a text list.
  Climbing: [
    { sku: 'HARNESS-1', name: 'Crag Harness', price: 'ask in store', currency: 'CNY' },
    { sku: 'ROPE-60', name: 'Dynamic Rope 60 m', price: '899', currency: 'CNY' },
  ],
} as const;

export async function startFakeEnterprise(): Promise<FakeEnterprise> {
  const fake = { requests: [] as FakeEnterprise['requests'], failing: false };
  const server = createServer(async (request, response) => {
    const body = JSON.parse((await readBody(request)) || '{}') as Record<string, unknown>;
    const path = request.url ?? '/';
    fake.requests.push({ path, body, headers: request.headers });
    const reply = (status: number, data: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(data));
    };
    if (fake.failing) return reply(503, { error: 'maintenance' });
    if (path === '/orders/lookup')
      return reply(200, { code: 0, data: { orderNo: body.orderNo, status: 'shipped', eta: 'Friday' } });
    if (path === '/products/search') {
      return reply(200, { code: 0, data: { products: PRODUCTS[body.activity as keyof typeof PRODUCTS] ?? [] } });
    }
    return reply(404, { error: 'not found' });
  });
  return Object.assign(fake, await listenOnLoopback(server));
}
