import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

/**
 * The sample shop's enterprise interfaces, as `bridge.yaml`'s workflows call them (`order-lookup`,
 * `product-search`), served on loopback for the CLI's in-process bridge. Without them the sample's order-status
 * and product-recommendation workflows can only show their failure paths, since their default URLs are
 * placeholders; with them `simulate` and `check` show order status and product cards with no shop behind them.
 */
export interface SampleShop {
  /** Environment for the bridge's config file: ORDER_API_URL and PRODUCT_API_URL. */
  env: { ORDER_API_URL: string; PRODUCT_API_URL: string };
  close(): Promise<void>;
}

interface SampleProduct {
  sku: string;
  name: string;
  price: string;
  summary: string;
}

const PRODUCTS: Record<string, SampleProduct[]> = {
  Camping: [
    { sku: 'TENT-2P', name: 'Ridge 2P Tent', price: '1299', summary: 'Two-person, 1.9 kg' },
    { sku: 'BAG-0C', name: 'Ember 0°C Sleeping Bag', price: '699', summary: 'Down, packs small' },
    { sku: 'STOVE-1', name: 'Pocket Stove', price: '249', summary: 'Boils a litre in 4 minutes' },
  ],
  Hiking: [
    { sku: 'BOOT-MID', name: 'Trailhead Mid Boots', price: '899', summary: 'Waterproof, 30-day break-in free' },
    { sku: 'PACK-28', name: 'Daypack 28 L', price: '459', summary: 'Ventilated back, rain cover' },
  ],
  Climbing: [
    { sku: 'HARNESS-1', name: 'Crag Harness', price: '599', summary: 'Four gear loops, adjustable legs' },
    { sku: 'ROPE-60', name: 'Dynamic Rope 60 m', price: '899', summary: '9.8 mm, dry-treated' },
  ],
};

const STATUSES = ['being packed', 'shipped', 'out for delivery'] as const;

/** The interface's JSON body, or nothing to go on (the bridge always sends JSON; anything else finds nothing). */
const bodyOf = (request: Request): Promise<Record<string, unknown>> =>
  request.json().then(
    (body: unknown) => (body && typeof body === 'object' ? (body as Record<string, unknown>) : {}),
    () => ({}),
  );

export async function startSampleShop(): Promise<SampleShop> {
  const app = new Hono();
  app.post('/orders/lookup', async (c) => {
    // Any well-formed order number exists; its last digit picks where it is, so different numbers differ.
    const orderNo = String((await bodyOf(c.req.raw)).orderNo ?? '');
    const status = STATUSES[Number(orderNo.at(-1) ?? 0) % STATUSES.length];
    return c.json({ code: 0, data: { orderNo, status, eta: status === 'out for delivery' ? 'today' : 'Friday' } });
  });
  app.post('/products/search', async (c) => {
    const products = (PRODUCTS[String((await bodyOf(c.req.raw)).activity)] ?? []).map((product) => ({
      ...product,
      currency: 'CNY',
      image: `https://cdn.northwind.example/${product.sku.toLowerCase()}.jpg`,
      url: `https://shop.northwind.example/${product.sku.toLowerCase()}`,
    }));
    return c.json({ code: 0, data: { products } });
  });
  app.notFound((c) => c.json({ error: `no sample interface at ${c.req.path}` }, 404));

  const server = await new Promise<Server>((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started as Server));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    env: { ORDER_API_URL: `${base}/orders/lookup`, PRODUCT_API_URL: `${base}/products/search` },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // The bridge's fetch keeps its connections to the shop open; the CLI should not wait them out.
        server.closeAllConnections();
      }),
  };
}
