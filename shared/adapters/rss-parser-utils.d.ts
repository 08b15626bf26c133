/** rss-parser's internal helpers (no types of its own): the worker turns off its snippet builder. */
declare module 'rss-parser/lib/utils.js' {
  const utils: { getSnippet(text: string): string };
  export default utils;
}
