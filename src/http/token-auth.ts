import type { MiddlewareHandler } from 'hono';
import { timingSafeEqual } from 'hono/utils/buffer';
import { ApiError } from './api-error.js';

/**
 * With a token configured, every call must carry it: as `?token=` (all Sobot's URL field can hold) or
 * as `Authorization: Bearer`. Compared in constant time; without a token the check is off. `name`
 * says which token in the error (webhook, metrics).
 */
export function tokenAuth(token: string | undefined, name: string): MiddlewareHandler {
  return async (c, next) => {
    if (token === undefined) return next();
    const presented = c.req.query('token') ?? bearerToken(c.req.header('authorization'));
    if (presented === undefined) {
      throw new ApiError(
        'unauthorized',
        `missing ${name} token: add ?token=… to the URL or send Authorization: Bearer …`,
      );
    }
    if (!(await timingSafeEqual(presented, token))) throw new ApiError('unauthorized', `invalid ${name} token`);
    return next();
  };
}

export const webhookAuth = (token: string | undefined) => tokenAuth(token, 'webhook');

/** The token an `Authorization: Bearer …` header carries. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}
