/** FNV-1a (32 bits) over the JSON of a value: a change detector for live pages and asset URLs, not security. */
export function digest(value: unknown): string {
  let hash = 0x811c9dc5;
  for (const character of typeof value === 'string' ? value : JSON.stringify(value)) {
    hash ^= character.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
