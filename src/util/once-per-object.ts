/**
 * `compute`, run once per object: later calls with the same object get the first result. For values
 * derived from a list the app hands out unchanged round after round (the model's tools, synonym groups);
 * the cache holds its objects weakly, so a list that is replaced is let go with its result.
 */
export function oncePerObject<Key extends object, Value>(compute: (key: Key) => Value): (key: Key) => Value {
  const results = new WeakMap<Key, Value>();
  return (key) => {
    if (results.has(key)) return results.get(key)!;
    const result = compute(key);
    results.set(key, result);
    return result;
  };
}
