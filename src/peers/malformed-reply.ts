import type { z } from 'zod';

/**
 * A peer's reply that does not fit its schema, described for the round's record. The source reports it
 * as an `upstream` failure, so the router falls back (or ends the stream) as for any other peer failure.
 */
export function malformed(peer: string, what: string, error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `${peer} sent a malformed ${what} (${where}${issue?.message ?? 'unreadable'})`;
}
