/** Generated feeds for the benchmarks: our own templates, about 1 item in 25 an Iran–Pakistan event. */
const RELEVANT = [
  'Pakistan and Iran agree to boost border trade at new crossing',
  'Iranian foreign minister to visit Islamabad next week for talks',
  'Pakistan summons Iranian envoy over firing on border post',
  'Iran and Pakistan hold talks on gas pipeline deadline',
  'Tehran and Islamabad sign memorandum on pilgrims travel',
];
const WORDS = 'market council budget rain court election school hospital road power cricket film farmers prices bank port railway exports reform water housing'.split(' ');
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}
export function generateFeed(index: number, items: number, seed = index): string {
  const r = rng(seed + 1);
  const out: string[] = [];
  for (let i = 0; i < items; i++) {
    const relevant = r() < 0.04;
    const w = () => WORDS[Math.floor(r() * WORDS.length)];
    const title = relevant ? `${RELEVANT[Math.floor(r() * RELEVANT.length)]} (${index}-${i})` : `City ${w()} plan draws ${w()} and ${w()} debate ${index}-${i}`;
    const when = new Date(Date.UTC(2026, 10, 27, 0, 0, 0) - (i * 37 + index) * 60_000).toUTCString();
    out.push(
      `<item><title>${title}</title><link>https://outlet${index % 97}.example/news/${index}/${i}?utm_source=rss</link><guid>g-${index}-${i}</guid><pubDate>${when}</pubDate>` +
        `<description><![CDATA[<p>The ${w()} of the ${w()} said on Thursday that <a href="https://example.org/${i}">the ${w()}</a> would be reviewed, with ${w()} and ${w()} on the agenda.</p>]]></description></item>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Outlet ${index}</title><link>https://outlet${index}.example/</link><description>Generated for the benchmark</description>${out.join('')}</channel></rss>`;
}
