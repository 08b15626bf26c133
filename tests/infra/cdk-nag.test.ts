import { App, Stack } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.ts';

const ROOT = resolve(import.meta.dirname, '../..');

function app(outdir: string): App {
  return new App({ outdir, context: { 'aws:cdk:bundling-stacks': [], subscribers: resolve(ROOT, 'config/subscribers.example.json') } });
}

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing unacknowledged in either stack', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'ipw-nag-'));
    try {
      const built = buildApp(app(outdir));
      expect(() => built.app.synth()).not.toThrow();
      const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
      // A passing plugin leaves no report entry; the next test shows the same plugin failing a synth.
      expect(report.pluginReports).toEqual([]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('does fail the synth on an unacknowledged finding (the check is live)', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'ipw-nag-'));
    try {
      const built = buildApp(app(outdir));
      new Queue(new Stack(built.app, 'Careless'), 'PlainQueue');
      expect(() => built.app.synth()).toThrow();
      const report = readFileSync(join(outdir, 'validation-report.json'), 'utf8');
      expect(report).toContain('AwsSolutions-SQS4');
      expect(report).toContain('Careless/PlainQueue');
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
