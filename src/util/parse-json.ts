/** JSON.parse that answers `undefined` instead of throwing, for bodies that may not be JSON at all. */
export function parseJsonOrUndefined(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
