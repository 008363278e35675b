import { z } from 'zod';
import { httpUrl } from '../util/http-url.js';

/**
 * Peer agent platforms (Laiye, CybotStar, tate-a-tate) and which Sobot robot each answers, in the
 * config file. Credentials belong in the environment: write them as `${NAME}`.
 */
const secret = z.string().min(1, { error: 'is empty (is its ${VARIABLE} set?)' });
const timeout = z.number().int().min(100).max(120_000).default(15_000);

export const laiyePeerSchema = z.strictObject({
  platform: z.literal('laiye'),
  /** e.g. https://open.laiye.com — the API is at {endpoint}/chatbot/v1alpha1/agents/{agent_id}/… */
  endpoint: httpUrl,
  agent_id: z.string().min(1),
  channel_id: z.string().min(1),
  pubkey: secret,
  secret,
  /** Older deployments have no `/environments/{SKETCH|PRODUCT}` in the getReply path. */
  environments: z.boolean().default(true),
  /** Register each visitor once (users/mutate), so Laiye's logs show them; replies work without. */
  create_users: z.boolean().default(false),
  timeout_ms: timeout,
});

export const cybotstarPeerSchema = z.strictObject({
  platform: z.literal('cybotstar'),
  /** e.g. https://www.cybotstar.cn — HTTP dialog at /openapi/v1/conversation/dialog/, WebSocket at /openapi/v2/ws/dialog/ */
  domain: httpUrl,
  robot_key: secret,
  robot_token: secret,
  /** Send `{"type":"heartbeat","data":"ping"}` this often on a WebSocket dialog. */
  heartbeat_ms: z.number().int().min(1000).max(60_000).default(15_000),
  timeout_ms: timeout,
});

export const tateatatePeerSchema = z.strictObject({
  platform: z.literal('tateatate'),
  /** https://chat.tate-a-tate.com/im by default. */
  base_url: httpUrl.default('https://chat.tate-a-tate.com/im'),
  bot_id: z.string().min(1),
  secret_key: secret,
  timeout_ms: timeout,
});

export const peerSchema = z.discriminatedUnion('platform', [laiyePeerSchema, cybotstarPeerSchema, tateatatePeerSchema]);
export type PeerDefinition = z.output<typeof peerSchema>;
export type LaiyePeer = z.output<typeof laiyePeerSchema>;
export type CybotstarPeer = z.output<typeof cybotstarPeerSchema>;
export type TateatatePeer = z.output<typeof tateatatePeerSchema>;

/** `default`: the knowledge base and model as configured; `fallback-text`: FALLBACK_TEXT; else a peer's name. */
const sourceName = z.string().regex(/^[A-Za-z][\w-]*$/);

export const routeSchema = z.strictObject({
  source: sourceName,
  /** Tried in order when the source fails or times out (or its circuit is open). */
  fallback: z.array(sourceName).default(['fallback-text']),
});
export type Route = z.output<typeof routeSchema>;

export const peerSettingsSchema = {
  peers: z.record(sourceName, peerSchema).default({}),
  /** Which source answers which Sobot robot (`robotid`); `default` for the others. */
  routes: z
    .strictObject({
      default: routeSchema.default({ source: 'default', fallback: [] }),
      robots: z.record(z.string(), routeSchema).default({}),
    })
    .default({ default: { source: 'default', fallback: [] }, robots: {} }),
  /** After this many failures in a row a peer is skipped (straight to its fallback) for `circuit_open_seconds`. */
  circuit_failures: z.number().int().min(1).max(100).default(5),
  circuit_open_seconds: z.number().int().min(1).max(3600).default(30),
};

const BUILT_IN_SOURCES = ['default', 'fallback-text'] as const;

/** Every route must name a peer or a built-in source. */
export function checkRoutes(
  settings: { peers: Record<string, PeerDefinition>; routes: { default: Route; robots: Record<string, Route> } },
  context: z.RefinementCtx,
) {
  const known = new Set<string>([...BUILT_IN_SOURCES, ...Object.keys(settings.peers)]);
  const check = (route: Route, path: Array<string | number>) => {
    for (const [index, name] of [route.source, ...route.fallback].entries()) {
      if (!known.has(name)) {
        context.addIssue({
          code: 'custom',
          path: [...path, ...(index === 0 ? ['source'] : ['fallback', index - 1])],
          message: `no source "${name}": use default, fallback-text, or a name under peers`,
        });
      }
    }
  };
  check(settings.routes.default, ['routes', 'default']);
  for (const [robot, route] of Object.entries(settings.routes.robots)) check(route, ['routes', 'robots', robot]);
}
