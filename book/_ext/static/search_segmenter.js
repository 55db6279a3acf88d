// The Chinese site's search: Sphinx splits a query at spaces and punctuation only, so a Chinese query typed
// as one run of characters ("遗忘门的偏置") would be one term that matches nothing. The browser's own word
// segmenter (Intl.Segmenter) cuts it into words first; single Chinese characters (的, 门) are left out, as
// the index (built by jieba) leaves them out. Loaded before searchtools.js, which uses this splitQuery.
var splitQuery = (query) => {
  const latin = (text) => text.split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu).filter((t) => t);
  if (!/\p{Script=Han}/u.test(query) || typeof Intl === "undefined" || !Intl.Segmenter) {
    return latin(query);
  }
  const terms = [];
  for (const piece of new Intl.Segmenter("zh", { granularity: "word" }).segment(query)) {
    if (!piece.isWordLike) continue;
    if (/\p{Script=Han}/u.test(piece.segment)) {
      if (piece.segment.length > 1) terms.push(piece.segment);
    } else {
      terms.push(...latin(piece.segment));
    }
  }
  return terms;
};
