import type { Context } from 'hono';

/**
 * A whole JSON reply sent while the handler is still at work. A non-streaming round sends its answer
 * this way and then stores the round, in the same synchronous step: the visitor does not wait for the
 * write, and nothing else runs in between (README, Performance).
 */
export interface JsonReply {
  /** Writes status 200 with `value` as JSON and the headers middleware set, at once. */
  send(value: unknown): void;
  /** What the handler returns once it has sent. */
  readonly sent: Response;
}

/**
 * The runtime's JSON reply for this request, or `undefined` where a reply can only be the handler's
 * return value (Workers, `app.request`): there the round is stored first and the handler replies.
 */
export type OpenJsonReply = (c: Context) => JsonReply | undefined;
