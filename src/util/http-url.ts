import { z } from 'zod';

/** An http or https URL: a setting's (Sobot's endpoints), a peer's endpoint, an enterprise interface's. */
export const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
