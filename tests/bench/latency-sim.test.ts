import { describe, expect, it } from 'vitest';
import { DEFAULT_SIM, simulateLatency } from '../../scripts/lib/latency-sim.ts';
import { byteCountingLog, monthlyCost, unitCountingStore, type StoreUnits } from '../../scripts/lib/cost-model.ts';

// A small world (120 feeds, 3 days after 2 of warm-up, the crisis on the second) so the suite stays quick.
const SMALL = { ...DEFAULT_SIM, feeds: 120, days: 3, warmDays: 2, crisisDay: 1, regionalShare: 0.3 };

// Two simulated weeks per test: seconds on a quiet machine, past the default 30 s on a loaded 2-core one.
describe('the latency simulation', { timeout: 180_000 }, () => {
  it('gives the same week for the same seed', async () => {
    const a = await simulateLatency({ ...SMALL, policy: 'adaptive' });
    const b = await simulateLatency({ ...SMALL, policy: 'adaptive' });
    expect(b).toEqual(a);
    expect(a.events).toBeGreaterThan(10);
    expect(a.alerted).toBe(a.events);
  });

  it('alerts grave events sooner under the surge policy than under the adaptive schedule alone', async () => {
    const before = await simulateLatency({ ...SMALL, policy: 'adaptive' });
    const after = await simulateLatency({ ...SMALL, policy: 'surge' });
    expect(after.eventsSev4).toBe(before.eventsSev4);
    expect(after.p50Sev4Min).toBeLessThan(before.p50Sev4Min);
    expect(after.p95Sev4Min).toBeLessThanOrEqual(before.p95Sev4Min);
  });

  it('alerts grave events first published on a WebSub feed within the push delay, through the real subscription, callback and dispatcher', async () => {
    const without = await simulateLatency({ ...SMALL, policy: 'surge' });
    const pushed = await simulateLatency({ ...SMALL, policy: 'surge', hubShare: 0.5, pushDelaySeconds: 20 });
    // The same world: the hubs come from a generator of their own.
    expect(pushed.events).toBe(without.events);
    expect(pushed.eventsSev4Hub).toBeGreaterThan(0);
    expect(pushed.usage.pushes).toBeGreaterThan(0);
    // Each push is fetched at once: nothing waits for a dispatcher run.
    expect(pushed.p95Sev4HubMin).toBeLessThanOrEqual(20 / 60 + 0.05);
    expect(without).not.toHaveProperty('p95Sev4HubMin');
  });

  it('prices what the week used: dispatcher runs, ingest batches, store units, alerts', async () => {
    let units: StoreUnits | undefined;
    const counting = byteCountingLog();
    const result = await simulateLatency({ ...SMALL, policy: 'surge', log: counting.log, wrapStore: (inner) => { const w = unitCountingStore(inner); units = w.units; return w.store; } });
    expect(result.usage.dispatchRuns).toBe(SMALL.days * 24 * 12);
    expect(result.usage.ingestBatches).toBe(result.usage.feedJobsPerRun.reduce((n, jobs) => n + Math.ceil(jobs / 10), 0));
    expect(result.usage.alertsPublished).toBeGreaterThan(0);
    expect(units?.wru).toBeGreaterThan(0);
    expect(units?.gsiWru).toBeGreaterThan(0);
    const cost = monthlyCost(result.usage, units as StoreUnits, counting.bytes(), SMALL.days);
    // The story function runs once per ingest batch that sent story jobs (in AWS, through the FIFO queue).
    expect(result.usage.storyJobs).toBeGreaterThan(0);
    expect(result.usage.storyBatches).toBeGreaterThan(0);
    expect(result.usage.storyBatches).toBeLessThanOrEqual(result.usage.ingestBatches);
    expect(cost.usage.lambdaRequests).toBeCloseTo(((result.usage.dispatchRuns + result.usage.ingestBatches + result.usage.notifyRuns + result.usage.storyBatches) * 30) / SMALL.days, 0);
    expect(cost.totalUsd).toBeGreaterThan(cost.afterAlwaysFreeUsd);
  });

  it('bills each WebSub push as a websub run and an ingest run of its own, with its queue requests and table units', () => {
    const usage = { dispatchRuns: 10, feedJobs: 20, feedJobsPerRun: [20], ingestBatches: 2, ingestBatchesWithBody: 1, fetched: 5, notModified: 15, bodyBytes: 0, notifyRuns: 0, storiesNotified: 0, alertsPublished: 0, storyJobs: 0, storyBatches: 0, pushes: 0 };
    const units: StoreUnits = { rru: 100, wru: 50, gsiWru: 0 };
    const without = monthlyCost(usage, units, 0, 30).usage as Record<string, number>;
    const withPushes = monthlyCost({ ...usage, pushes: 40 }, units, 0, 30).usage as Record<string, number>;
    const added = (key: string) => (withPushes[key] as number) - (without[key] as number);
    expect(added('lambdaRequests')).toBeCloseTo(80, 6);
    expect(added('sqsRequests')).toBeCloseTo(120, 6);
    expect(added('rru')).toBeCloseTo(40, 6);
    expect(added('wru')).toBeCloseTo(40, 6);
    expect(added('lambdaGbSeconds')).toBeGreaterThan(0);
  });
});
