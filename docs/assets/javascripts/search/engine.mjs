// The handbook's search over Pagefind's index. Pagefind and its wasm load on the first query,
// never with the page.
//
// Pagefind wants every word of a query on a page, as typed or as the start of a word, and
// boosts pages whose title or names and aliases (the "aliases" metadata) match the query.
// Runners type sentences ("my shins hurt when I run") and misspell ("plantar fascitis"), so
// each word is also looked up on its own, a word that finds nothing is shortened by up to
// three letters, and a page's rank is the sum of its scores: all words together count most.

const SITE_ROOT = new URL("../../../", import.meta.url);
const RANKING = { metaWeights: { aliases: 10 } }; // title keeps Pagefind's 5
const WHOLE_QUERY_WEIGHT = 3;
const SHORTENED_WORD_WEIGHT = 0.5;
const SHORTEST_STEM = 4;
const MOST_LETTERS_DROPPED = 3;
// A word on more than this share of pages ("my", "the", "running") tells pages apart no more.
const COMMON_WORD_SHARE = 0.9;
const WORD = /[\p{L}\p{N}]+/gu;

let loading = null;

/** Pagefind, loaded and set up once (baseUrl keeps result links under our root). */
export function loadSearch(root = SITE_ROOT) {
  loading ??= import(new URL("pagefind/pagefind.js", root).href).then(async (pagefind) => {
    await pagefind.options({ baseUrl: root.pathname, excerptLength: 20, ranking: RANKING });
    await pagefind.init();
    // From the small entry file: an empty search would fetch every chunk of the index.
    const entry = await (await fetch(new URL("pagefind/pagefind-entry.json", root))).json();
    const languages = Object.values(entry.languages);
    return { pagefind, pageCount: languages.reduce((sum, l) => sum + l.page_count, 0) };
  });
  // A failed load (a dropped connection, say) is tried again on the next query.
  loading.catch(() => {
    loading = null;
  });
  return loading;
}

/** "fascitis" → "fasciti", "fascit", "fasci": the beginnings Pagefind may still match. */
function shortenings(word) {
  const found = [];
  const shortest = Math.max(SHORTEST_STEM, word.length - MOST_LETTERS_DROPPED);
  for (let end = word.length - 1; end >= shortest; end -= 1) found.push(word.slice(0, end));
  return found;
}

/** The results for one word as typed, or else for its longest beginning that finds any. */
async function resultsForWord(pagefind, word) {
  const typed = await pagefind.search(word);
  if (typed.results.length) return { results: typed.results, weight: 1 };
  for (const attempt of shortenings(word)) {
    const { results } = await pagefind.search(attempt);
    if (results.length) return { results, weight: SHORTENED_WORD_WEIGHT };
  }
  return { results: [], weight: 0 };
}

/** Ranked Pagefind results for what the runner typed (each has .id, .score and .data()). */
export async function findPages({ pagefind, pageCount }, query) {
  const words = new Set(query.toLowerCase().match(WORD) ?? []);
  if (!words.size) return [];
  const totals = new Map();
  const add = (results, weight) => {
    for (const result of results) {
      const entry = totals.get(result.id) ?? { result, score: 0 };
      entry.score += result.score * weight;
      totals.set(result.id, entry);
    }
  };
  add((await pagefind.search(query)).results, WHOLE_QUERY_WEIGHT);
  for (const word of words) {
    const { results, weight } = await resultsForWord(pagefind, word);
    if (results.length <= pageCount * COMMON_WORD_SHARE) add(results, weight);
  }
  return [...totals.values()].sort((a, b) => b.score - a.score).map((entry) => entry.result);
}

/** Pagefind's excerpt is the page's plain text with <mark> and </mark> around the matches;
    anything else in it (a "<" a page really says) is text. Split it, never parse it as HTML. */
export function excerptParts(excerpt) {
  const parts = [];
  let marked = false;
  for (const piece of excerpt.split(/(<mark>|<\/mark>)/)) {
    if (piece === "<mark>") marked = true;
    else if (piece === "</mark>") marked = false;
    else if (piece) parts.push({ text: piece, marked });
  }
  return parts;
}
