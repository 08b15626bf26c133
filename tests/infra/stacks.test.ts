import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.ts';
import { TABLE } from '#shared/table-schema.ts';
import { ENV } from '#shared/config.ts';
import { FIXED_RESOURCES } from '../../scripts/lib/cost-model.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/** Template-only synth: no bundling, no CloudFormation validation (about a second per app). */
function fastApp(context: Record<string, unknown> = {}): App {
  return new App({
    builtinCloudFormationValidation: false,
    context: { 'aws:cdk:bundling-stacks': [], subscribers: resolve(ROOT, 'config/subscribers.example.json'), ...context },
  });
}

describe('data stack', () => {
  let t: Template;
  beforeAll(() => {
    const { data } = buildApp(fastApp());
    t = Template.fromStack(data);
  });

  it('keeps events in an on-demand, recoverable, deletion-protected table with a NEW_IMAGE stream and TTL', () => {
    t.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
        TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        Replicas: [Match.objectLike({ DeletionProtectionEnabled: true, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
      }),
    });
  });

  it('has the day, type and dyad indexes the local table has', () => {
    const table = Object.values(t.findResources('AWS::DynamoDB::GlobalTable'))[0] as { Properties: { GlobalSecondaryIndexes: { IndexName: string; KeySchema: { AttributeName: string }[] }[] } };
    const indexes = table.Properties.GlobalSecondaryIndexes.map((i) => [i.IndexName, i.KeySchema.map((k) => k.AttributeName)]);
    expect(indexes).toEqual(Object.values(TABLE.indexes).map((i) => [i.name, [i.partitionKey, i.sortKey]]));
  });

  it('encrypts both topics with a rotating key and refuses plain-HTTP publishing', () => {
    t.resourceCountIs('AWS::SNS::Topic', 2);
    t.allResourcesProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    t.resourceCountIs('AWS::SNS::TopicPolicy', 2);
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('is termination-protected and exports what the pipeline reads under fixed names', () => {
    const { data } = buildApp(fastApp());
    expect(data.terminationProtection).toBe(true);
    const outputs = Object.values(t.toJSON().Outputs as Record<string, { Export: { Name: string } }>).map((o) => o.Export.Name);
    expect(outputs.sort()).toEqual(['AlertTopicArn', 'EventsTableArn', 'EventsTableStreamArn', 'OpsTopicArn', 'TopicKeyArn'].map((n) => `IranPakistanData-${n}`).sort());
  });
});

describe('pipeline stack', () => {
  let t: Template;
  beforeAll(() => {
    const { pipeline } = buildApp(fastApp());
    t = Template.fromStack(pipeline);
  });

  it('runs five arm64 nodejs24.x functions with explicit, retained-for-a-month log groups', () => {
    t.resourceCountIs('AWS::Lambda::Function', 5);
    t.allResourcesProperties('AWS::Lambda::Function', { Runtime: 'nodejs24.x', Architectures: ['arm64'], LoggingConfig: { LogGroup: Match.anyValue() } });
    t.resourceCountIs('AWS::Logs::LogGroup', 5);
    t.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('starts dispatch every 5 minutes through Scheduler with 2 retries and a DLQ', () => {
    t.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(5 minutes)',
      Target: Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 600 }, DeadLetterConfig: { Arn: Match.anyValue() } }),
    });
  });

  it('takes the schedule rate from context', () => {
    const { pipeline } = buildApp(fastApp({ scheduleRateMinutes: 15 }));
    Template.fromStack(pipeline).hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(15 minutes)' });
  });

  it('fans out through an encrypted, SSL-only feed-jobs queue with a DLQ after 3 receives', () => {
    t.hasResourceProperties('AWS::SQS::Queue', { RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: 3 }, SqsManagedSseEnabled: true, VisibilityTimeout: 720 });
    t.allResourcesProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    const policies = Object.values(t.findResources('AWS::SQS::QueuePolicy'));
    expect(policies.length).toBe(7);
    for (const p of policies) expect(JSON.stringify(p)).toContain('aws:SecureTransport');
  });

  it('serialises story formation per dyad: ingest sends to a FIFO queue the story function reads, with a FIFO DLQ', () => {
    const queues = t.findResources('AWS::SQS::Queue', { Properties: { FifoQueue: true } });
    expect(Object.keys(queues).sort()).toEqual([expect.stringMatching(/^StoryJobs[A-Z0-9]/), expect.stringMatching(/^StoryJobsDlq/)]);
    const [jobsId] = Object.keys(queues).filter((id) => !id.startsWith('StoryJobsDlq'));
    const [dlqId] = Object.keys(queues).filter((id) => id.startsWith('StoryJobsDlq'));
    t.hasResourceProperties('AWS::SQS::Queue', { FifoQueue: true, VisibilityTimeout: 360, RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 5 } });
    // The story function reads it, ten at a time, reporting failures; no batching window on FIFO.
    const mappings = Object.values(t.findResources('AWS::Lambda::EventSourceMapping')) as { Properties: Record<string, unknown> }[];
    const storyMapping = mappings.find((m) => JSON.stringify(m.Properties.EventSourceArn).includes(jobsId as string));
    expect(storyMapping?.Properties).toMatchObject({ BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'], FunctionName: { Ref: expect.stringMatching(/^StoryFunction/) } });
    expect(storyMapping?.Properties.MaximumBatchingWindowInSeconds).toBeUndefined();
    // Only ingest may send to it, and it knows where through STORY_QUEUE_URL.
    const senders = Object.values(t.findResources('AWS::IAM::Policy')).map((p) => JSON.stringify(p)).filter((p) => p.includes('sqs:SendMessage') && p.includes(jobsId as string));
    expect(senders).toHaveLength(1);
    expect(senders[0]).toContain('IngestFunctionServiceRole');
    const fns = Object.entries(t.findResources('AWS::Lambda::Function')) as [string, { Properties: { Environment: { Variables: Record<string, unknown> } } }][];
    expect(fns.filter(([, f]) => ENV.storyQueueUrl in f.Properties.Environment.Variables).map(([id]) => id)).toEqual([expect.stringMatching(/^IngestFunction/)]);
  });

  it('feeds ingest from SQS in batches with item failures and a concurrency cap', () => {
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 5 },
      EventSourceArn: Match.anyValue(),
    });
  });

  it('drives notify from the stream with every retry setting explicit and a filter for alert-raising story writes', () => {
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      StartingPosition: 'TRIM_HORIZON',
      MaximumRetryAttempts: 5,
      MaximumRecordAgeInSeconds: 21600,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ dynamodb: { NewImage: { kind: { S: ['story'] }, alertDue: { BOOL: [true] } } } }) }] },
    });
  });

  it('names resources through environment variables shared with the config loader', () => {
    const fns = Object.values(t.findResources('AWS::Lambda::Function')) as { Properties: { Environment: { Variables: Record<string, unknown> } } }[];
    const vars = fns.map((f) => Object.keys(f.Properties.Environment.Variables));
    for (const v of vars) expect(v).toContain(ENV.tableName);
    // dispatch (due feeds) and websub (pushed feeds)
    expect(vars.filter((v) => v.includes(ENV.feedQueueUrl))).toHaveLength(2);
    expect(vars.filter((v) => v.includes(ENV.alertTopicArn))).toHaveLength(1);
  });

  it('has ingest (feeds) and dispatch (WebSub hubs) refuse private networks by default: ALLOW_PRIVATE_NETWORKS is false, and only they have it', () => {
    const fns = Object.values(t.findResources('AWS::Lambda::Function')) as { Properties: { Description: string; Environment: { Variables: Record<string, unknown> } } }[];
    const withFlag = fns.filter((f) => ENV.allowPrivateNetworks in f.Properties.Environment.Variables);
    expect(withFlag.map((f) => f.Properties.Description).sort()).toEqual(['Fetches, classifies and stores one batch of feeds', 'Sends each due feed to the feed-jobs queue']);
    for (const f of withFlag) expect(f.Properties.Environment.Variables[ENV.allowPrivateNetworks]).toBe('false');
  });

  it.each([true, 'true'])('sets ALLOW_PRIVATE_NETWORKS=true on ingest from the context value allowPrivateNetworks=%j', (value) => {
    const { pipeline } = buildApp(fastApp({ allowPrivateNetworks: value }));
    Template.fromStack(pipeline).hasResourceProperties('AWS::Lambda::Function', {
      Description: 'Fetches, classifies and stores one batch of feeds',
      Environment: { Variables: Match.objectLike({ [ENV.allowPrivateNetworks]: 'true' }) },
    });
  });

  it.each(['yes', 1])('refuses the context value allowPrivateNetworks=%j, naming it', (value) => {
    expect(() => buildApp(fastApp({ allowPrivateNetworks: value }))).toThrow(/context allowPrivateNetworks must be true or false, got/);
  });

  it('gives dispatch read access, writes to WebSub subscription items only, and only notify the right to publish', () => {
    const policies = Object.values(t.findResources('AWS::IAM::Policy')).map((p) => JSON.stringify(p));
    const dispatch = policies.find((p) => p.includes('DispatchFunctionServiceRole'))!;
    expect(dispatch).toContain('dynamodb:BatchGetItem');
    const statements = (JSON.parse(dispatch) as { Properties: { PolicyDocument: { Statement: { Action: string | string[]; Condition?: unknown }[] } } }).Properties.PolicyDocument.Statement;
    const writes = statements.filter((st) => [st.Action].flat().some((a) => /PutItem|UpdateItem|DeleteItem|BatchWriteItem/.test(a)));
    expect(writes).toEqual([expect.objectContaining({ Action: 'dynamodb:PutItem', Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['WEBSUB#*'] } } })]);
    expect(dispatch).toContain('sqs:SendMessage');
    expect(policies.filter((p) => p.includes('sns:Publish'))).toHaveLength(1);
    expect(policies.find((p) => p.includes('sns:Publish'))).toContain('NotifyFunctionServiceRole');
  });

  it('subscribes each configured endpoint with its own filter policy and a delivery DLQ', () => {
    t.resourceCountIs('AWS::SNS::Subscription', 3);
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'analyst@example.org' });
    t.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sms',
      Endpoint: '+447700900123',
      FilterPolicy: { severity: [{ numeric: ['>=', 4] }], eventType: ['strike', 'envoy_recall', 'border_incident'], dyad: ['IR-PK'] },
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue() },
    });
  });

  it('alarms to the ops topic on errors, DLQ depth, story backlog, iterator age, Scheduler failures, stale feeds, delivery failures and SMS spend', () => {
    const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm')) as { Properties: { MetricName?: string; AlarmActions: unknown[]; Metrics?: unknown[] } }[];
    const names = alarms.map((a) => a.Properties.MetricName ?? 'expression');
    expect(names.filter((n) => n === 'Errors')).toHaveLength(5);
    expect(names.filter((n) => n === 'ApproximateNumberOfMessagesVisible')).toHaveLength(5);
    for (const metric of ['ApproximateAgeOfOldestMessage', 'IteratorAge', 'staleFeeds', 'pushesRefused', 'NumberOfNotificationsFailed', 'SMSMonthToDateSpentUSD', 'expression']) expect(names).toContain(metric);
    for (const a of alarms) expect(JSON.stringify(a.Properties.AlarmActions)).toContain('IranPakistanData-OpsTopicArn');
    t.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  it('deploys the alarms, dashboards and keys the cost model bills by the month', () => {
    const { data } = buildApp(fastApp());
    t.resourceCountIs('AWS::CloudWatch::Alarm', FIXED_RESOURCES.alarms);
    t.resourceCountIs('AWS::CloudWatch::Dashboard', FIXED_RESOURCES.dashboards);
    const keys = (stack: Template) => Object.keys(stack.findResources('AWS::KMS::Key')).length;
    expect(keys(t) + keys(Template.fromStack(data))).toBe(FIXED_RESOURCES.kmsKeys);
  });

  it('offers analysts a read-only policy: Query, GetItem, DescribeTable and no Scan, and never the WebSub secrets', () => {
    const policy = Object.values(t.findResources('AWS::IAM::ManagedPolicy'))[0] as { Properties: { PolicyDocument: { Statement: { Effect: string; Action: string[]; Condition?: unknown }[] } } };
    const [allow, deny] = policy.Properties.PolicyDocument.Statement;
    expect([...(allow?.Action ?? [])].sort()).toEqual(['dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:Query']);
    expect(deny).toMatchObject({ Effect: 'Deny', Action: ['dynamodb:Query', 'dynamodb:GetItem'], Condition: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': ['WEBSUB#*'] } } });
    t.hasOutput('TableName', {});
    t.hasOutput('Region', {});
  });

  describe('WebSub', () => {
    const websubFn = () => Object.entries(t.findResources('AWS::Lambda::Function')).find(([id]) => id.startsWith('WebSubFunction')) as [string, { Properties: Record<string, unknown> }];

    it('puts the callback function behind a public Function URL (hubs cannot sign SigV4), with reserved concurrency 2 and a 10 s timeout', () => {
      const [id, fn] = websubFn();
      expect(fn.Properties).toMatchObject({ ReservedConcurrentExecutions: 2, Timeout: 10, MemorySize: 256 });
      // No CORS: browsers have no business calling it.
      t.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE', TargetFunctionArn: { 'Fn::GetAtt': [id, 'Arn'] }, Cors: Match.absent() });
      t.hasOutput('WebSubCallbackUrl', {});
    });

    it('gives the callback only its subscription items and feed states, and the feed-jobs queue', () => {
      const policies = Object.values(t.findResources('AWS::IAM::Policy')).map((p) => JSON.stringify(p));
      const websub = JSON.parse(policies.find((p) => p.includes('WebSubFunctionServiceRole'))!) as { Properties: { PolicyDocument: { Statement: { Action: string | string[]; Condition?: Record<string, Record<string, string[]>> }[] } } };
      const dynamo = websub.Properties.PolicyDocument.Statement.filter((st) => [st.Action].flat().some((a) => a.startsWith('dynamodb:')));
      expect(dynamo.map((st) => st.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'])).toEqual([['WEBSUB#*'], ['FEED#*']]);
      expect(JSON.stringify(websub)).toContain('sqs:SendMessage');
      expect(JSON.stringify(websub)).not.toContain('sns:Publish');
    });

    it('tells dispatch the callback URL from the Function URL', () => {
      t.hasResourceProperties('AWS::Lambda::Function', {
        Description: 'Sends each due feed to the feed-jobs queue',
        Environment: { Variables: Match.objectLike({ [ENV.websubCallbackUrl]: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WebSubFunctionFunctionUrl'), 'FunctionUrl'] } }) },
      });
    });

    it('can be left out with the context value websub=false: no public URL, no callback URL for dispatch', () => {
      const { pipeline } = buildApp(fastApp({ websub: 'false' }));
      const off = Template.fromStack(pipeline);
      off.resourceCountIs('AWS::Lambda::Url', 0);
      off.resourceCountIs('AWS::Lambda::Function', 4);
      expect(JSON.stringify(off.toJSON())).not.toContain(ENV.websubCallbackUrl);
    });

    it('reserves no concurrency with websubReservedConcurrency=0 (a new account keeps nothing to reserve), and refuses values out of range', () => {
      const { pipeline } = buildApp(fastApp({ websubReservedConcurrency: '0' }));
      const fns = Object.values(Template.fromStack(pipeline).findResources('AWS::Lambda::Function')) as { Properties: { ReservedConcurrentExecutions?: number } }[];
      expect(fns).toHaveLength(5);
      expect(fns.every((f) => f.Properties.ReservedConcurrentExecutions === undefined)).toBe(true);
      expect(() => buildApp(fastApp({ websubReservedConcurrency: '11' }))).toThrow(/websubReservedConcurrency must be a whole number from 0 to 10, got 11/);
    });
  });

  it('rejects a subscribers file with a bad endpoint, naming the field', () => {
    expect(() => buildApp(fastApp({ subscribers: resolve(ROOT, 'tests/fixtures/subscribers-bad.json') }))).toThrow(/subscribers\.1\.endpoint: SMS endpoints are E\.164/);
  });
});

describe('pipeline stack, bundled', () => {
  it('gives each Lambda its own asset: its own handler code, and the parser worker only to ingest', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'ipw-synth-'));
    try {
      const app = new App({ outdir, builtinCloudFormationValidation: false, context: { 'aws:cdk:bundling-stacks': ['IranPakistanPipeline'], subscribers: resolve(ROOT, 'config/subscribers.example.json') } });
      const { pipeline } = buildApp(app);
      const functions = Template.fromStack(pipeline).findResources('AWS::Lambda::Function');
      app.synth();
      const assetOf = (prefix: string) => {
        const [, fn] = Object.entries(functions).find(([id]) => id.startsWith(prefix)) ?? [];
        const key = (fn as { Properties: { Code: { S3Key: string } } }).Properties.Code.S3Key;
        return join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
      };
      const [dispatch, ingest, notify, story] = ['Dispatch', 'Ingest', 'Notify', 'Story'].map(assetOf) as [string, string, string, string];
      expect(new Set([dispatch, ingest, notify, story]).size).toBe(4);
      for (const asset of [dispatch, ingest, notify, story]) expect(readdirSync(asset)).toEqual(expect.arrayContaining(['index.mjs', 'chunks', 'watches']));
      expect(existsSync(join(ingest, 'rss-parse-worker.mjs'))).toBe(true);
      expect(existsSync(join(dispatch, 'rss-parse-worker.mjs'))).toBe(false);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }, 60_000);
});
