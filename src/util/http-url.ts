import { z } from 'zod';

/** An http or https URL in the config file: a peer's endpoint, an enterprise interface. */
export const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
