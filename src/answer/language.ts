/**
 * The `lan` Sobot wants on every item: the answer's language as a short code. A script count is enough
 * to tell the languages a Sobot bot meets apart; `fallback` decides when the text has no letters.
 */
export function detectLanguage(text: string, fallback = 'en'): string {
  let han = 0;
  let kana = 0;
  let hangul = 0;
  let latin = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if ((code >= 0x3040 && code <= 0x30ff) || (code >= 0x31f0 && code <= 0x31ff)) kana++;
    else if ((code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf)) han++;
    else if (code >= 0xac00 && code <= 0xd7af) hangul++;
    else if ((code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) latin++;
  }
  if (kana > 0 && kana + han >= latin) return 'ja';
  if (hangul > 0 && hangul >= latin) return 'ko';
  // One Han character weighs like a short word of Latin letters.
  if (han > 0 && han * 3 >= latin) return 'zh';
  if (latin > 0) return 'en';
  return fallback;
}
