import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DataStack } from './stacks/data-stack.ts';
import { PipelineStack } from './stacks/pipeline-stack.ts';
import { loadSubscribers } from './subscribers.ts';

/**
 * Context (cdk.json or -c): subscribers (file path), scheduleRateMinutes, smsSpendAlarmUsd,
 * ingestMaxConcurrency, allowPrivateNetworks (true lets ingest fetch feeds on internal addresses),
 * websub (false: no WebSub callback URL, feeds are only polled), websubReservedConcurrency (0-10,
 * default 2; 0 reserves none, for accounts whose concurrency limit leaves nothing to reserve).
 */
export function buildApp(app: App = new App()): { app: App; data: DataStack; pipeline: PipelineStack } {
  const ctx = (key: string) => app.node.tryGetContext(key) as string | number | boolean | undefined;
  const number = (key: string, fallback: number, min: number, max: number) => {
    const raw = ctx(key);
    const value = raw === undefined ? fallback : Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) throw new Error(`context ${key} must be a whole number from ${min} to ${max}, got ${raw}`);
    return value;
  };
  // -c gives a string, cdk.json a boolean; anything else is a mistake, not a quiet false.
  const flag = (key: string) => {
    const raw = ctx(key);
    if (raw === undefined || raw === false || raw === 'false') return false;
    if (raw === true || raw === 'true') return true;
    throw new Error(`context ${key} must be true or false, got ${raw}`);
  };
  const data = new DataStack(app, 'IranPakistanData', { description: 'Iran-Pakistan watch: events table, alert and ops topics' });
  const pipeline = new PipelineStack(app, 'IranPakistanPipeline', {
    description: 'Iran-Pakistan watch: schedule, queues, functions, alarms',
    data: data.refs,
    subscribers: loadSubscribers(ctx('subscribers') as string | undefined),
    scheduleRateMinutes: number('scheduleRateMinutes', 5, 1, 1440),
    smsSpendAlarmUsd: number('smsSpendAlarmUsd', 5, 1, 100000),
    ingestMaxConcurrency: number('ingestMaxConcurrency', 5, 2, 1000),
    allowPrivateNetworks: flag('allowPrivateNetworks'),
    // On unless -c websub=false: no public URL and no subscriptions, polling only.
    websub: ctx('websub') === undefined ? true : flag('websub'),
    websubReservedConcurrency: number('websubReservedConcurrency', 2, 0, 10),
  });
  pipeline.addStackDependency(data);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, data, pipeline };
}

if (import.meta.url === `file://${process.argv[1]}`) buildApp().app.synth();
