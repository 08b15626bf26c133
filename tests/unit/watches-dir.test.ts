import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadWatches, watchesDir } from '#shared/watches.ts';
import { createClassifier } from '#shared/domain/classify.ts';

const ROOT = resolve(import.meta.dirname, '../..');

describe('watches as data', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ipw-watches-'));
    cpSync(join(ROOT, 'config/watches/iran-pakistan.json'), join(dir, 'iran-pakistan.json'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('adds a second dyad by adding one file, with no code change', () => {
    expect(loadWatches(dir).map((w) => w.dyad)).toEqual(['IR-PK']);
    cpSync(join(ROOT, 'tests/fixtures/watches/afghanistan-pakistan.json'), join(dir, 'afghanistan-pakistan.json'));
    const watches = loadWatches(dir);
    expect(watches.map((w) => w.dyad).sort()).toEqual(['AF-PK', 'IR-PK']);
    const classify = createClassifier(watches);
    const afpk = classify({ title: 'Pakistani and Afghan border forces exchange fire at Torkham', summary: 'Islamabad closed the crossing after the clash, the Foreign Office said.', published: '2025-10-12T08:00:00Z' });
    expect(afpk).toMatchObject({ relevant: true, dyad: 'AF-PK', primary: 'border_incident' });
    const irpk = classify({ title: 'Pakistan recalls its ambassador from Tehran', published: '2024-01-17T20:00:00Z' });
    expect(irpk).toMatchObject({ relevant: true, dyad: 'IR-PK', primary: 'envoy_recall' });
    const only = createClassifier(loadWatches(join(ROOT, 'config/watches')));
    expect(only({ title: 'Pakistani and Afghan border forces exchange fire at Torkham', published: '2025-10-12T08:00:00Z' }).relevant).toBe(false);
  });

  it('names the file and the field of a bad watch', () => {
    writeFileSync(join(dir, 'broken.json'), JSON.stringify({ id: 'broken', dyad: 'PK-IN', countries: [] }));
    expect(() => loadWatches(dir)).toThrow(/broken\.json: countries: a watch has exactly two countries|broken\.json.*dyad/);
  });

  it('refuses two files for the same dyad and a folder without watches', () => {
    cpSync(join(dir, 'iran-pakistan.json'), join(dir, 'copy.json'));
    expect(() => loadWatches(dir)).toThrow(/two watch files .* IR-PK/);
    const empty = mkdtempSync(join(tmpdir(), 'ipw-empty-'));
    try {
      expect(() => loadWatches(empty)).toThrow(/no watch files/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('finds the folder from WATCHES_DIR first', () => {
    expect(watchesDir({ WATCHES_DIR: dir })).toBe(dir);
    expect(watchesDir({})).toBe(join(ROOT, 'config/watches'));
  });

  it('finds ./watches beside a Lambda bundle from index.mjs and from a lazily loaded chunk below it', () => {
    const bundle = mkdtempSync(join(tmpdir(), 'ipw-bundle-'));
    try {
      mkdirSync(join(bundle, 'watches'));
      mkdirSync(join(bundle, 'chunks'));
      expect(watchesDir({}, bundle)).toBe(join(bundle, 'watches'));
      expect(watchesDir({}, join(bundle, 'chunks'))).toBe(join(bundle, 'watches'));
      rmSync(join(bundle, 'watches'), { recursive: true });
      expect(() => watchesDir({}, join(bundle, 'chunks'))).toThrow(/no watches folder/);
    } finally {
      rmSync(bundle, { recursive: true, force: true });
    }
  });
});
