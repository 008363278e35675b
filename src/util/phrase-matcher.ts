/**
 * Whether a text mentions `phrase`: as whole words, ignoring case, in Latin script ("return" does not
 * match "returned"); anywhere in Chinese, which has no spaces between words.
 */
export function phraseMatcher(phrase: string): (text: string) => boolean {
  const lowered = phrase.toLowerCase();
  if (/\p{Script=Han}/u.test(lowered)) return (text) => text.includes(lowered);
  const escaped = lowered.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}($|[^\\p{L}\\p{N}])`, 'iu');
  return (text) => pattern.test(text);
}
