import { describe, it, expect } from 'vitest';
import { dyadOf, parseWatch, type Watch } from '#shared/domain/watch.ts';
import { createClassifier } from '#shared/domain/classify.ts';
import type { Actor } from '#shared/domain/types.ts';
import { loadWatches } from '#shared/watches.ts';

const iranPakistan = loadWatches()[0] as Watch;

/** A second dyad, written for this test. */
const afPakData = {
  id: 'afghanistan-pakistan',
  dyad: 'AF-PK',
  countries: [
    { code: 'AF', names: ['Afghanistan'], demonyms: ['Afghan', 'Afghans'], places: ['Kabul', 'Kandahar', 'Spin Boldak'], institutions: ['Taliban'] },
    { code: 'PK', names: ['Pakistan'], demonyms: ['Pakistani', 'Pakistanis'], places: ['Islamabad', 'Chaman', 'Torkham'], institutions: ['Frontier Corps'] },
  ],
  thirdParties: ['Iran', 'Iranian', 'India', 'China', 'United States'],
};

function withCountryCode(index: 0 | 1, code: string) {
  const countries = afPakData.countries.map((c, i) => (i === index ? { ...c, code } : c));
  return { ...afPakData, countries };
}

describe('parseWatch', () => {
  it('accepts a valid watch and fills defaults', () => {
    const watch = parseWatch({ id: 'x-y', dyad: 'AF-PK', countries: [{ code: 'AF', names: ['Afghanistan'] }, { code: 'PK', names: ['Pakistan'] }] }, 'inline');
    expect(watch.countries[0]).toMatchObject({ demonyms: [], places: [], institutions: [], officials: [] });
    expect(watch.thirdParties).toEqual([]);
  });

  it('accepts the bundled Iran–Pakistan watch', () => {
    expect(iranPakistan.dyad).toBe('IR-PK');
    expect(iranPakistan.countries.map((c) => c.code)).toEqual(['IR', 'PK']);
  });

  it('rejects a country code that is not ISO alpha-2, naming the source and the field', () => {
    expect(() => parseWatch(withCountryCode(0, 'afg'), 'watches/af-pk.json')).toThrow(/invalid watch watches\/af-pk\.json: countries\.0\.code: .*ISO 3166-1 alpha-2/);
    expect(() => parseWatch(withCountryCode(1, 'pk'), 'w.json')).toThrow(/countries\.1\.code/);
  });

  it('rejects a dyad in the wrong order, naming the dyad field', () => {
    expect(() => parseWatch({ ...afPakData, dyad: 'PK-AF' }, 'w.json')).toThrow(/invalid watch w\.json: dyad: .*alphabetical order/);
  });

  it('rejects a dyad that does not match the country codes', () => {
    expect(() => parseWatch({ ...afPakData, dyad: 'AF-IR' }, 'w.json')).toThrow(/: dyad: /);
  });

  it('rejects a watch with other than two countries', () => {
    expect(() => parseWatch({ ...afPakData, countries: [afPakData.countries[0]] }, 'w.json')).toThrow(/countries/);
  });

  it('rejects an official with a malformed term date', () => {
    const bad = withCountryCode(0, 'AF');
    const countries = bad.countries.map((c, i) => (i === 0 ? { ...c, officials: [{ name: 'Some Minister', role: 'foreign minister', from: '2024/01/01' }] } : c));
    expect(() => parseWatch({ ...bad, countries }, 'w.json')).toThrow(/countries\.0\.officials\.0\.from: expected YYYY-MM-DD/);
  });

  it('names the root when the data is not an object', () => {
    expect(() => parseWatch(null, 'w.json')).toThrow(/invalid watch w\.json: \(root\)/);
  });
});

describe('dyadOf', () => {
  it('sorts the two codes', () => {
    expect(dyadOf(['PK', 'IR'])).toBe('IR-PK');
    expect(dyadOf(['AF', 'PK'])).toBe('AF-PK');
  });
});

describe('a classifier over two watches', () => {
  const afPak = parseWatch(afPakData, 'inline');
  const classify = createClassifier([iranPakistan, afPak]);
  const published = '2024-01-22T09:00:00Z';

  it('codes an Afghanistan–Pakistan border clash with dyad AF-PK', () => {
    const r = classify({ title: 'Afghan and Pakistani forces exchange fire in border clash near Chaman', published });
    expect(r).toMatchObject({ relevant: true, dyad: 'AF-PK', primary: 'border_incident' });
    expect(r.actors.map((a: Actor) => a.country).sort()).toEqual(['AF', 'PK']);
  });

  it('raises the severity of a deadly border clash to 4', () => {
    expect(classify({ title: 'Pakistan and Afghanistan troops in deadly border clash at Torkham', published }).severity).toBe(4);
  });

  it('still codes an Iran–Pakistan strike with dyad IR-PK', () => {
    expect(classify({ title: 'Iran launches missile strikes inside Pakistan', published })).toMatchObject({ relevant: true, dyad: 'IR-PK', primary: 'strike' });
  });

  it('does not code an Afghanistan–Pakistan clash under the Iran–Pakistan watch alone', () => {
    const irPkOnly = createClassifier([iranPakistan]);
    expect(irPkOnly({ title: 'Afghan and Pakistani forces exchange fire in border clash near Chaman', published }).relevant).toBe(false);
  });
});
