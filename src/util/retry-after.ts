/**
 * A `Retry-After` header's wait in milliseconds: seconds, or an HTTP date (RFC 9110 §10.2.3); undefined when it is
 * absent or neither. Seconds are read as the openai SDK reads them (`1.5` too). Never negative.
 */
export function retryAfterMs(header: string | null | undefined, now: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number.parseFloat(header);
  if (!Number.isNaN(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
