/**
 * Turns text into search terms for both English and Chinese. Latin words come from Intl.Segmenter,
 * lower-cased, lightly stemmed, stopwords dropped. Han text becomes overlapping character bigrams:
 * ICU's dictionary splits 退货运费 as 退|货运|费, while bigrams (退货, 货运, 运费) match however a
 * visitor words it — the usual choice for Chinese keyword search.
 */
export function tokenize(text: string): string[] {
  const terms: string[] = [];
  // Han runs first, on the raw text: the segmenter would cut them into dictionary words.
  for (const part of text.normalize('NFKC').toLowerCase().split(HAN_RUN)) {
    if (part === '') continue;
    if (HAN.test(part)) {
      pushHanBigrams(part, terms);
      continue;
    }
    for (const piece of part.match(SEGMENTER_PIECE) ?? []) {
      for (const { segment, isWordLike } of segmenter.segment(piece)) {
        if (isWordLike && !STOPWORDS.has(segment)) terms.push(stem(segment));
      }
    }
  }
  return terms;
}

/** An entry's stored search terms: its question (or heading) with the similar questions, and its body. */
export function entryTerms(entry: { title: string; similar: string[]; body: string }) {
  return {
    titleTerms: tokenize([entry.title, ...entry.similar].join('\n')).join(' '),
    bodyTerms: tokenize(entry.body).join(' '),
  };
}

const segmenter = new Intl.Segmenter('en', { granularity: 'word' });
// V8's segmenter takes time quadratic in the length of the text it is given: a 200 KB question took
// 40 s, and every other round waited. Pieces of at most 1000 characters, cut at whitespace where
// there is any, keep it linear.
const SEGMENTER_PIECE = /[\s\S]{1,1000}(?=\s|$)|[\s\S]{1,1000}/gu;
const HAN = /^\p{Script=Han}+$/u;
const HAN_RUN = /(\p{Script=Han}+)/u;

function pushHanBigrams(run: string, terms: string[]) {
  const chars = [...run];
  // Single characters too: 保几年 ("how many years of cover") must still reach 保修 ("warranty").
  for (const char of chars) if (!HAN_STOPWORDS.has(char)) terms.push(char);
  for (let index = 0; index < chars.length - 1; index++) {
    const [first, second] = [chars[index]!, chars[index + 1]!];
    // 我的, 的订, 了怎: a pair with a function character is noise, not a word.
    if (!HAN_STOPWORDS.has(first) && !HAN_STOPWORDS.has(second)) terms.push(first + second);
  }
}

/**
 * A light, conservative suffix stripper: "shipping", "shipped", "ships" meet at "ship", "damaged" and
 * "damage" at "damag". It strips only inflections, so "order" stays "order".
 */
function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let stemmed = word;
  const strip = (suffix: string, replacement = '') => {
    if (!stemmed.endsWith(suffix) || stemmed.length - suffix.length < 3) return false;
    stemmed = stemmed.slice(0, stemmed.length - suffix.length) + replacement;
    return true;
  };
  if (!strip('ies', 'y') && !strip('ied', 'y')) {
    if (/(ss|x|z|ch|sh)es$/.test(stemmed)) strip('es');
    else if (!/(ss|us|is)$/.test(stemmed)) strip('s');
  }
  if (strip('ing') || strip('ed')) stemmed = undouble(stemmed);
  if (!strip('ments')) strip('ment');
  // "damage"/"damaged", "size"/"sized", "shoe"/"shoes": drop a final e so both forms meet.
  if (stemmed.endsWith('e') && stemmed.length > 3) stemmed = stemmed.slice(0, -1);
  return stemmed;
}

/** shipp → ship, stopp → stop: undo the consonant doubling that -ing and -ed bring. */
function undouble(stemmed: string): string {
  const last = stemmed.at(-1);
  if (last && last === stemmed.at(-2) && !'lsz'.includes(last) && !'aeiou'.includes(last)) return stemmed.slice(0, -1);
  return stemmed;
}

const STOPWORDS = new Set(
  (
    'a an the and or but if of to in on at by for with from as is are was were be been being am do does did ' +
    'doing have has had having i me my mine we our us you your yours he she it its they them their this that ' +
    'these those there here what which who whom whose when where why how can could should would will shall may ' +
    'might must not no nor so than too very just about into over under again then once any all some such only ' +
    'own same also get got please hi hello thanks thank ok okay want need like know tell'
  ).split(' '),
);

/** Function characters: alone, or in a pair, they carry no meaning worth matching. */
const HAN_STOPWORDS = new Set([...'的了吗呢吧啊呀是我你您他她它们在和就都也这那么什个请']);
