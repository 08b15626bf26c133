import { describe, it, expect } from 'vitest';
import { fitsOneSegment, gsm7Length, SMS_SEGMENT, toGsm7 } from '#shared/domain/gsm7.ts';

describe('toGsm7', () => {
  it('normalises curly quotes to straight ones', () => {
    expect(toGsm7('“Iran’s envoy” ‘returns’')).toBe('"Iran\'s envoy" \'returns\'');
  });

  it('normalises dashes and the ellipsis', () => {
    expect(toGsm7('Iran – Pakistan — talks… resume')).toBe('Iran - Pakistan - talks... resume');
  });

  it('strips accents that GSM-7 lacks and keeps the ones it has', () => {
    expect(toGsm7('Amīrʿabdollāhiān à Zürich, señor, Ḥasan, Ōmura')).toBe('Amirabdollahian à Zürich, señor, Hasan, Omura');
  });

  it('removes emoji and scripts with no GSM-7 spelling, without leaving double spaces', () => {
    expect(toGsm7('Alert 🚨 ایران update 👍🏽 now')).toBe('Alert update now');
  });

  it('keeps extended characters such as € and [ ]', () => {
    expect(toGsm7('Cost €5 [est]')).toBe('Cost €5 [est]');
  });

  it('always returns text that gsm7Length accepts', () => {
    const out = toGsm7('Mixed: “quotes”, ½, ©, ™, 中文, naïve café, Ω, ß, 😀 and a tab\there');
    expect(gsm7Length(out)).not.toBeNull();
  });
});

describe('gsm7Length', () => {
  it('counts basic characters as one septet each', () => {
    expect(gsm7Length('Iran Pakistan')).toBe(13);
  });

  it('counts extended characters (€, [, ], {, }, ~, ^, |, \\) as two', () => {
    expect(gsm7Length('€')).toBe(2);
    expect(gsm7Length('[x]')).toBe(5);
    expect(gsm7Length('{}~^|\\')).toBe(12);
  });

  it('returns null for text outside GSM-7', () => {
    expect(gsm7Length('“quoted”')).toBeNull();
    expect(gsm7Length('🚨')).toBeNull();
  });

  it('counts the empty string as zero', () => {
    expect(gsm7Length('')).toBe(0);
  });
});

describe('fitsOneSegment', () => {
  it('accepts exactly 160 basic characters and rejects 161', () => {
    expect(SMS_SEGMENT).toBe(160);
    expect(fitsOneSegment('a'.repeat(160))).toBe(true);
    expect(fitsOneSegment('a'.repeat(161))).toBe(false);
  });

  it('counts extended characters double: 80 € fit, 80 € and one more letter do not', () => {
    expect(fitsOneSegment('€'.repeat(80))).toBe(true);
    expect(fitsOneSegment(`${'€'.repeat(80)}a`)).toBe(false);
  });

  it('rejects short text that is not GSM-7 at all', () => {
    expect(fitsOneSegment('’')).toBe(false);
  });
});
