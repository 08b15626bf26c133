/**
 * One simulated week (latency-sim.ts) under the surge policy with a share of the feeds pushing
 * through WebSub, and the same week without push: `npx tsx scripts/latency-websub.ts
 * [--seed n] [--hub-share 0.3] [--feeds 2000]`. Prints one JSON line per run: the delay to alert
 * of severity >= 4 events first published on a hub feed (budget: p95 <= 2 minutes), of all of
 * them, and the requests a day. A quicker look than `npm run bench -- --only latency`.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_SIM, simulateLatency } from './lib/latency-sim.ts';
import { HUB_SHARE } from './lib/latency-bench.ts';

const { values } = parseArgs({ options: { seed: { type: 'string', default: String(DEFAULT_SIM.seed) }, 'hub-share': { type: 'string', default: String(HUB_SHARE) }, feeds: { type: 'string', default: String(DEFAULT_SIM.feeds) } } });
const options = { ...DEFAULT_SIM, seed: Number(values.seed), feeds: Number(values.feeds), policy: 'surge' as const };
for (const hubShare of [Number(values['hub-share']), 0]) {
  const r = await simulateLatency({ ...options, hubShare });
  console.log(JSON.stringify({ seed: options.seed, feeds: options.feeds, hubShare, eventsSev4: r.eventsSev4, eventsSev4Hub: r.eventsSev4Hub, p50Sev4HubMin: r.p50Sev4HubMin, p95Sev4HubMin: r.p95Sev4HubMin, p50Sev4Min: r.p50Sev4Min, p95Sev4Min: r.p95Sev4Min, p95AllMin: r.p95AllMin, requestsPerDay: r.requestsPerDay, pushesPerDay: Math.round(r.usage.pushes / options.days) }));
}
