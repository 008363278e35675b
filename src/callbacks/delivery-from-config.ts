import { sobotEndpoints, type Config } from '../config.js';
import type { Metrics } from '../metrics/metrics.js';
import type { Clock } from '../runtime/clock.js';
import type { Logger } from '../runtime/logger.js';
import { createSobotCallbackSender } from '../sobot/sobot-callback-sender.js';
import { createSobotTokenProvider } from '../sobot/sobot-token-provider.js';
import type { CallbackStore, TokenStore } from '../store/callback-store.js';
import type { DeliveryDeps } from './deliver-callbacks.js';

// Callbacks delivered concurrently in one pass; more wait for the next pass, which follows at once.
const BATCH_SIZE = 32;

export interface DeliveryEffects {
  callbackStore: CallbackStore;
  tokenStore: TokenStore;
  fetch: typeof fetch;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
}

/** The callback deliverer the configuration describes, for any runtime. */
export function deliveryFromConfig(config: Config, effects: DeliveryEffects): DeliveryDeps {
  const endpoints = sobotEndpoints(config);
  const { SOBOT_APPID: appid, SOBOT_APP_KEY: appKey } = config;
  const sobot =
    appid && appKey
      ? {
          tokens: createSobotTokenProvider({
            credentials: { appid, appKey },
            tokenUrl: endpoints.tokenUrl,
            store: effects.tokenStore,
            fetch: effects.fetch,
            clock: effects.clock,
            logger: effects.logger,
            timeoutMs: config.CALLBACK_TIMEOUT_MS,
          }),
          sender: createSobotCallbackSender({
            fetch: effects.fetch,
            timeoutMs: config.CALLBACK_TIMEOUT_MS,
            clock: effects.clock,
          }),
        }
      : undefined;
  return {
    store: effects.callbackStore,
    sobot,
    urls: { copilot: endpoints.copilotCallbackUrl, batch: endpoints.batchCallbackUrl },
    clock: effects.clock,
    logger: effects.logger,
    metrics: effects.metrics,
    limits: {
      maxAttempts: config.CALLBACK_MAX_ATTEMPTS,
      maxAgeMs: config.CALLBACK_MAX_AGE_SECONDS * 1000,
      timeoutMs: config.CALLBACK_TIMEOUT_MS,
      baseMs: config.CALLBACK_RETRY_BASE_MS,
      maxMs: config.CALLBACK_RETRY_MAX_MS,
      batchSize: BATCH_SIZE,
    },
  };
}
