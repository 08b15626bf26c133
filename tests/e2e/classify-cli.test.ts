import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '#shared/domain/types.ts';

const ROOT = resolve(import.meta.dirname, '../..');

function classifyCli(input: string): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('npm', ['run', '--silent', 'classify'], { cwd: ROOT, env: process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ stdout, stderr, code }));
    child.stdin.end(input);
  });
}

describe('npm run --silent classify', () => {
  it('writes one contract line per input line, in order, and nothing else', async () => {
    const lines = [
      { id: 'envoys', title: 'Iran and Pakistan agree their ambassadors will return to their posts', summary: 'The envoys are to resume duties by January 26, the two foreign ministries said on Monday.', published: '2024-01-22T09:00:00Z' },
      { id: 'cricket', title: 'Pakistan beat New Zealand by seven wickets in Rawalpindi' },
      { title: 'Iranian missiles strike militant camps inside Pakistan', summary: 'Islamabad says two children were killed.', published: '2024-01-17T06:00:00Z' },
    ];
    const out = await classifyCli(`${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    expect(out.code, out.stderr).toBe(0);
    const results = out.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(results.map((r) => r.id)).toEqual(['envoys', 'cricket', 3]);
    for (const r of results) {
      for (const key of ['id', 'relevant', 'types', 'primary', 'severity', 'confidence', 'actors', 'dates', 'evidence']) expect(r).toHaveProperty(key);
      for (const t of r.types) expect(EVENT_TYPES).toContain(t);
      expect(r.confidence).toBeGreaterThanOrEqual(0);
      expect(r.confidence).toBeLessThanOrEqual(1);
    }
    expect(results[0]).toMatchObject({ relevant: true, primary: 'envoy_return', severity: 3, classifierVersion: expect.stringMatching(/^rules-/) });
    expect(results[0].dates).toContainEqual({ date: '2024-01-26', text: 'by January 26', kind: 'scheduled' });
    expect(results[1]).toMatchObject({ relevant: false, types: [], primary: null });
    expect(results[2]).toMatchObject({ relevant: true, primary: 'strike', severity: 5 });
    expect(results[2].actors).toEqual(expect.arrayContaining([expect.objectContaining({ country: 'IR', side: 'source' }), expect.objectContaining({ country: 'PK', side: 'target' })]));
  });

  it('answers a bad line in its place with an error and exits 1', async () => {
    const out = await classifyCli('{"id":"a","title":"Pakistan and Iran hold border talks"}\nnot json\n{"id":"c"}\n');
    expect(out.code).toBe(1);
    const results = out.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(results).toHaveLength(3);
    expect(results[0].id).toBe('a');
    expect(results[1].error).toMatch(/line 2: not JSON/);
    expect(results[2]).toMatchObject({ id: 'c', error: expect.stringMatching(/title/) });
  });
});
