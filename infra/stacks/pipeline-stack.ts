import { CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Dashboard, GraphWidget, MathExpression, Metric, SingleValueWidget, TextWidget, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { Effect, ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, FilterRule, FunctionUrlAuthType, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Subscription, SubscriptionFilter, SubscriptionProtocol, Topic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption, type IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { AppFunction } from '../constructs/app-function.ts';
import { FUNCTION_MEMORY_MB } from '../function-sizes.ts';
import type { Subscriber } from '../subscribers.ts';
import type { DataRefs } from './data-stack.ts';
import { ENV } from '../../shared/config.ts';
import { KEY, SUBSCRIPTION_PREFIX } from '../../shared/table-schema.ts';
import { METRIC, METRICS_NAMESPACE, SERVICE } from '../../shared/observability.ts';

export interface PipelineStackProps extends StackProps {
  data: DataRefs;
  subscribers: Subscriber[];
  /** minutes between dispatcher runs (default 5) */
  scheduleRateMinutes: number;
  /** alarm when SNS's SMS spend this month passes this many USD */
  smsSpendAlarmUsd: number;
  /** feed-jobs processed at once; caps the load on publishers and the table */
  ingestMaxConcurrency: number;
  /** let ingest fetch feeds on loopback, private and link-local addresses (refused by default) */
  allowPrivateNetworks: boolean;
  /** WebSub push: the callback function behind a public Function URL, and subscriptions kept by dispatch */
  websub: boolean;
  /** the websub function's reserved concurrency, which caps what a flood of pushes can run; 0 reserves none */
  websubReservedConcurrency: number;
}

/**
 * Everything stateless: the schedule, the queues, the four functions, subscriptions, alarms,
 * the dashboard and the analysts' policy. Safe to destroy and redeploy: events live in DataStack.
 */
export class PipelineStack extends Stack {
  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);
    const table = TableV2.fromTableAttributes(this, 'Events', { tableArn: props.data.tableArn, tableStreamArn: props.data.tableStreamArn, grantIndexPermissions: true });
    const alertTopic = Topic.fromTopicArn(this, 'Alerts', props.data.alertTopicArn);
    const opsTopic = Topic.fromTopicArn(this, 'Ops', props.data.opsTopicArn);
    const topicKey = Key.fromKeyArn(this, 'TopicKey', props.data.topicKeyArn);
    const alarmAction = new SnsAction(opsTopic);

    const queue = (name: string, extra: Partial<ConstructorParameters<typeof Queue>[2]> = {}) =>
      new Queue(this, name, { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14), ...extra });

    // --- functions -------------------------------------------------------------------------
    const dispatch = new AppFunction(this, 'Dispatch', { name: 'dispatch', description: 'Sends each due feed to the feed-jobs queue', timeout: Duration.seconds(60), memorySize: FUNCTION_MEMORY_MB.dispatch });
    const ingest = new AppFunction(this, 'Ingest', { name: 'ingest', description: 'Fetches, classifies and stores one batch of feeds', timeout: Duration.minutes(2), memorySize: FUNCTION_MEMORY_MB.ingest });
    const notify = new AppFunction(this, 'Notify', { name: 'notify', description: 'Publishes alerts for stories whose alert level rose', timeout: Duration.seconds(60), memorySize: FUNCTION_MEMORY_MB.notify });
    const story = new AppFunction(this, 'Story', { name: 'story', description: 'Places relevant articles in stories, one dyad at a time', timeout: Duration.seconds(60), memorySize: FUNCTION_MEMORY_MB.story });
    const functions = [dispatch, ingest, notify, story];
    const feedStatePrefix = KEY.feedState('').pk;

    dispatch.bindTable(table, 'read');
    ingest.bindTable(table, 'readWrite');
    notify.bindTable(table, 'readWrite');
    story.bindTable(table, 'readWrite');
    notify.bindTopic(alertTopic, ENV.alertTopicArn, topicKey);
    dispatch.fn.addEnvironment(ENV.pollIntervalMinutes, String(props.scheduleRateMinutes));
    ingest.fn.addEnvironment(ENV.pollIntervalMinutes, String(props.scheduleRateMinutes));
    ingest.fn.addEnvironment(ENV.allowPrivateNetworks, String(props.allowPrivateNetworks));

    // --- schedule → dispatch → feed-jobs → ingest ------------------------------------------
    const schedulerDlq = queue('SchedulerDlq');
    new Schedule(this, 'DispatchSchedule', {
      description: 'Starts a dispatch cycle',
      schedule: ScheduleExpression.rate(Duration.minutes(props.scheduleRateMinutes)),
      // The default retry policy (185 attempts over 24 h) would pile up stale cycles; the next
      // run comes within minutes anyway.
      target: new LambdaInvoke(dispatch.fn, { retryAttempts: 2, maxEventAge: Duration.minutes(props.scheduleRateMinutes * 2), deadLetterQueue: schedulerDlq }),
    });

    const feedJobsDlq = queue('FeedJobsDlq');
    const feedJobs = queue('FeedJobs', {
      // Six times the ingest timeout, as AWS advises for queues feeding Lambda.
      visibilityTimeout: Duration.minutes(12),
      deadLetterQueue: { queue: feedJobsDlq, maxReceiveCount: 3 },
    });
    dispatch.bindQueueSend(feedJobs, ENV.feedQueueUrl);

    // --- WebSub: hub -> public Function URL -> websub -> feed-jobs -----------------------------
    // Hubs cannot sign requests with SigV4, so the URL takes anyone's request (auth NONE); each
    // push must carry the HMAC of its subscription's secret, a body over 1 MiB is refused unread,
    // and a valid push only sends its feed to be fetched. Two at once at most: a flood of
    // requests is throttled (hubs retry) instead of scaling up reads and queue sends.
    let websubUrl: string | undefined;
    if (props.websub) {
      const websub = new AppFunction(this, 'WebSub', {
        name: 'websub',
        description: 'WebSub callback: hub verifications and signed content pushes',
        timeout: Duration.seconds(10),
        memorySize: FUNCTION_MEMORY_MB.websub,
        // A reservation needs the account to keep 100 unreserved: 0 deploys on a new account's limit of 10.
        ...(props.websubReservedConcurrency > 0 ? { reservedConcurrentExecutions: props.websubReservedConcurrency } : {}),
      });
      // Its own subscription items (read, verify, count pushes) and feed states (a push never
      // cuts a backoff short): nothing else in the table.
      websub.bindTableKeys(table, ['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem'], [SUBSCRIPTION_PREFIX]);
      websub.bindTableKeys(table, ['GetItem', 'BatchGetItem'], [feedStatePrefix]);
      websub.bindQueueSend(feedJobs, ENV.feedQueueUrl);
      const url = websub.fn.addFunctionUrl({ authType: FunctionUrlAuthType.NONE });
      websubUrl = url.url;
      functions.push(websub);
      // The dispatcher asks hubs for subscriptions and renews them: it writes subscription items only.
      dispatch.bindTableKeys(table, ['PutItem'], [SUBSCRIPTION_PREFIX]);
      dispatch.fn.addEnvironment(ENV.websubCallbackUrl, url.url);
      // Hub URLs come from feeds: the dispatcher's hub requests pass the fetcher's address guard, with its switch.
      dispatch.fn.addEnvironment(ENV.allowPrivateNetworks, String(props.allowPrivateNetworks));
      new CfnOutput(this, 'WebSubCallbackUrl', { value: url.url, description: 'The public WebSub callback (hubs verify and push here)' });
    }
    ingest.fn.addEventSource(new SqsEventSource(feedJobs, { batchSize: 10, maxBatchingWindow: Duration.seconds(5), reportBatchItemFailures: true, maxConcurrency: props.ingestMaxConcurrency }));

    // --- ingest → story-jobs (FIFO, one message group per dyad) → story ---------------------
    // Story formation for a dyad must not run twice at once, or two first reports of one event
    // open two stories. SQS hands each message group (dyad) to one invocation at a time and
    // holds the rest of the group until it is done; other dyads go on in parallel. The article
    // id deduplicates sends within five minutes (two feeds, a retried ingest).
    const storyJobsDlq = queue('StoryJobsDlq', { fifo: true });
    const storyJobs = queue('StoryJobs', {
      fifo: true,
      // Six times the story timeout.
      visibilityTimeout: Duration.minutes(6),
      deadLetterQueue: { queue: storyJobsDlq, maxReceiveCount: 5 },
    });
    ingest.bindQueueSend(storyJobs, ENV.storyQueueUrl);
    // No batching window: FIFO sources do not take one. A failed batch comes back whole, in order.
    story.fn.addEventSource(new SqsEventSource(storyJobs, { batchSize: 10, reportBatchItemFailures: true }));

    // --- table stream → notify → alerts topic ----------------------------------------------
    const notifyDlq = queue('NotifyDlq');
    notify.fn.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 10,
        // Stream sources retry forever by default (-1); a poisoned record would block the shard.
        retryAttempts: 5,
        maxRecordAge: Duration.hours(6),
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(notifyDlq),
        // Only story writes that raised the alert level; late articles and other items never invoke notify.
        filters: [FilterCriteria.filter({ dynamodb: { NewImage: { kind: { S: FilterRule.isEqual('story') }, alertDue: { BOOL: FilterRule.isEqual(true) } } } })],
      }),
    );

    // --- subscribers --------------------------------------------------------------------------
    const deliveryDlq = queue('DeliveryDlq');
    props.subscribers.forEach((s, i) => {
      const filterPolicy: Record<string, SubscriptionFilter> = {};
      if (s.filter.eventTypes) filterPolicy.eventType = SubscriptionFilter.stringFilter({ allowlist: s.filter.eventTypes });
      if (s.filter.minSeverity) filterPolicy.severity = SubscriptionFilter.numericFilter({ greaterThanOrEqualTo: s.filter.minSeverity });
      if (s.filter.dyads) filterPolicy.dyad = SubscriptionFilter.stringFilter({ allowlist: s.filter.dyads });
      // The L1-level Subscription: SmsSubscription drops the deadLetterQueue option, and SNS
      // discards an SMS or email it could not deliver unless the subscription has a DLQ.
      new Subscription(this, `Subscriber${i}`, {
        topic: alertTopic,
        protocol: s.protocol === 'email' ? SubscriptionProtocol.EMAIL : SubscriptionProtocol.SMS,
        endpoint: s.endpoint,
        deadLetterQueue: deliveryDlq,
        ...(Object.keys(filterPolicy).length ? { filterPolicy } : {}),
      });
    });

    // --- alarms -------------------------------------------------------------------------------
    const alarm = (id: string, metric: IMetric, threshold: number, description: string, periods = 1) => {
      const a = new Alarm(this, id, {
        metric,
        threshold,
        evaluationPeriods: periods,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      a.addAlarmAction(alarmAction);
      return a;
    };
    for (const f of functions) {
      alarm(`${f.node.id}Errors`, f.fn.metricErrors({ period: Duration.minutes(5) }), 1, `${f.node.id} Lambda reported errors`);
    }
    const dlqs: [string, IQueue][] = [
      ['SchedulerDlq', schedulerDlq],
      ['FeedJobsDlq', feedJobsDlq],
      ['NotifyDlq', notifyDlq],
      ['DeliveryDlq', deliveryDlq],
      ['StoryJobsDlq', storyJobsDlq],
    ];
    for (const [name, dlq] of dlqs) {
      alarm(`${name}Depth`, dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }), 1, `${name} holds messages: see the README on re-driving`);
    }
    alarm(
      'StoryJobsAge',
      storyJobs.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: 'Maximum' }),
      15 * 60,
      'Relevant articles have waited more than 15 minutes for their stories',
    );
    alarm(
      'NotifyIteratorAge',
      new Metric({ namespace: 'AWS/Lambda', metricName: 'IteratorAge', dimensionsMap: { FunctionName: notify.fn.functionName }, statistic: 'Maximum', period: Duration.minutes(5) }),
      15 * 60 * 1000,
      'Alerts are more than 15 minutes behind the table stream',
    );
    alarm(
      'SchedulerFailures',
      new MathExpression({
        expression: 'errors + dropped',
        usingMetrics: {
          errors: new Metric({ namespace: 'AWS/Scheduler', metricName: 'TargetErrorCount', statistic: 'Sum', period: Duration.minutes(15) }),
          dropped: new Metric({ namespace: 'AWS/Scheduler', metricName: 'InvocationDroppedCount', statistic: 'Sum', period: Duration.minutes(15) }),
        },
        period: Duration.minutes(15),
      }),
      1,
      'EventBridge Scheduler failed to start dispatch cycles',
    );
    const serviceMetric = (name: string, statistic = 'Sum', period = Duration.minutes(15)) =>
      new Metric({ namespace: METRICS_NAMESPACE, metricName: name, dimensionsMap: { service: SERVICE }, statistic, period });
    alarm('StaleFeeds', serviceMetric(METRIC.staleFeeds, 'Maximum', Duration.hours(1)), 1, 'At least one feed has produced nothing new for STALE_AFTER_HOURS', 2);
    if (websubUrl) {
      alarm('PushesRefused', serviceMetric(METRIC.pushesRefused), 20, 'The WebSub callback refused 20 or more pushes in 15 minutes: a hub with a stale secret, or someone probing the public URL (README, Operate)');
    }
    alarm(
      'AlertDeliveryFailures',
      new Metric({ namespace: 'AWS/SNS', metricName: 'NumberOfNotificationsFailed', dimensionsMap: { TopicName: alertTopic.topicName }, statistic: 'Sum', period: Duration.minutes(15) }),
      1,
      'SNS failed to deliver alerts to subscribers',
    );
    alarm(
      'SmsSpend',
      new Metric({ namespace: 'AWS/SNS', metricName: 'SMSMonthToDateSpentUSD', statistic: 'Maximum', period: Duration.hours(1) }),
      props.smsSpendAlarmUsd,
      `SMS spend this month has reached ${props.smsSpendAlarmUsd} USD`,
    );

    // --- dashboard ----------------------------------------------------------------------------
    new Dashboard(this, 'Dashboard', {
      dashboardName: `${this.stackName}-overview`,
      widgets: [
        [new TextWidget({ markdown: '# Iran–Pakistan watch\nFeeds → stories → alerts. Alarms go to the ops topic.', width: 24, height: 2 })],
        [
          new GraphWidget({ title: 'Feeds', left: [METRIC.feedsFetched, METRIC.feedsNotModified, METRIC.feedErrors, METRIC.feedsDispatched, METRIC.pushesRefused].map((m) => serviceMetric(m)), width: 12 }),
          new GraphWidget({ title: 'Articles and stories', left: [METRIC.articlesNew, METRIC.articlesRelevant, METRIC.duplicatesSkipped, METRIC.storiesNew, METRIC.storiesUpdated].map((m) => serviceMetric(m)), width: 12 }),
        ],
        [
          new GraphWidget({ title: 'Alerts', left: [serviceMetric(METRIC.alertsPublished), serviceMetric(METRIC.alertsDuplicate)], width: 8 }),
          new GraphWidget({ title: 'Lambda errors', left: functions.map((f) => f.fn.metricErrors()), width: 8 }),
          new SingleValueWidget({ title: 'Stale feeds', metrics: [serviceMetric(METRIC.staleFeeds, 'Maximum', Duration.hours(1))], width: 8 }),
        ],
        [new GraphWidget({ title: 'Dead-letter queues', left: dlqs.map(([, q]) => q.metricApproximateNumberOfMessagesVisible()), width: 24 })],
      ],
    });

    // --- analysts ----------------------------------------------------------------------------
    const analystPolicy = new ManagedPolicy(this, 'AnalystReadOnly', {
      description: 'Query the Iran-Pakistan events table and its indexes (no Scan)',
      statements: [
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:DescribeTable'],
          resources: [table.tableArn, `${table.tableArn}/index/*`],
        }),
        // WebSub subscription items hold each subscription's secret: not for analysts.
        new PolicyStatement({
          effect: Effect.DENY,
          actions: ['dynamodb:Query', 'dynamodb:GetItem'],
          resources: [table.tableArn],
          conditions: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': [`${SUBSCRIPTION_PREFIX}*`] } },
        }),
      ],
    });

    // --- cdk-nag acknowledgements (each with its reason) --------------------------------------
    const tableIndexes = `AwsSolutions-IAM5[Resource::${props.data.tableArn.includes('${Token') ? importName(this, props.data.tableArn) : props.data.tableArn}/index/*]`;
    for (const f of functions) {
      Validations.of(f).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: 'The AWS managed basic execution role only allows writing to CloudWatch Logs; the function logs to its own log group.',
      });
    }
    for (const f of [dispatch, ingest, notify, story]) {
      Validations.of(f).acknowledge({ id: tableIndexes, reason: 'Grants cover the events table and its three GSIs (byDay, byType, byDyad); the index names are part of the table design.' });
    }
    Validations.of(analystPolicy).acknowledge({ id: tableIndexes, reason: 'Analysts query every index of the events table; the index names are part of the table design.' });
    Validations.of(notify).acknowledge({
      id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      reason: 'Publishing to a KMS-encrypted SNS topic needs kms:GenerateDataKey* on the topic key (the only key granted).',
    });
    const dispatchId = this.getLogicalId(dispatch.fn.node.defaultChild as CfnFunction);
    Validations.of(this).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${dispatchId}.Arn>:*]`,
      reason: 'The Scheduler role may invoke any version or alias of the dispatch function (CDK grant); it can invoke nothing else.',
    });
    for (const [name, dlq] of dlqs) {
      if (name === 'FeedJobsDlq' || name === 'StoryJobsDlq') continue;
      Validations.of(dlq).acknowledge({ id: 'AwsSolutions-SQS3', reason: `${name} is itself a dead-letter queue (of the Scheduler target, the stream source or the SNS subscriptions), which this rule cannot see.` });
    }

    new CfnOutput(this, 'TableName', { value: table.tableName, description: 'npm run query -- --table <this> --region <Region>' });
    new CfnOutput(this, 'Region', { value: this.region });
    new CfnOutput(this, 'AlertTopicArn', { value: alertTopic.topicArn });
    new CfnOutput(this, 'OpsTopicArn', { value: opsTopic.topicArn, description: 'Subscribe operators here for alarms' });
    new CfnOutput(this, 'AnalystPolicyArn', { value: analystPolicy.managedPolicyArn, description: 'Attach to analysts’ roles or users' });
  }
}

/** The export name behind an Fn::ImportValue token, as cdk-nag prints it in a finding. */
function importName(stack: Stack, token: string): string {
  const resolved = stack.resolve(token) as { 'Fn::ImportValue'?: string };
  const name = resolved['Fn::ImportValue'];
  if (typeof name !== 'string') throw new Error(`expected an import value, got ${JSON.stringify(resolved)}`);
  return name;
}
