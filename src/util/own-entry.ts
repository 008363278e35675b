/**
 * `record[key]` for a key that comes from outside (a robotid, a visitor's answer): only the record's own
 * entries, so `constructor`, `__proto__` or `toString` find nothing instead of what every object inherits.
 */
export function ownEntry<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
